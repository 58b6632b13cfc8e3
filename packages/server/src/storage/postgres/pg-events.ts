// The outbox, delivery attempts, stream cursors and signing secrets on PostgreSQL.
import type { EventBatch, EventRecord, EventRepository, SigningSecretRepository } from '../ports.ts';
import { attemptFromRow, eventFromRow } from '../rows/event-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

/** The events' rows and their numbering, as the parameters of APPEND. */
function appendStatement(batches: readonly EventBatch[], now: number, ids: () => string) {
  const totals = new Map<string, number>();
  const drafts = batches.map((batch) => batch.events.map((event) => {
    const k = (totals.get(batch.guid) ?? 0) + 1;
    totals.set(batch.guid, k);
    return { id: ids(), batch, event, k, filtered: event.filtered === true };
  }));
  const all = drafts.flat();
  const params = [[...totals.keys()], [...totals.values()], now,
    all.map((d) => d.id), all.map((d) => d.batch.appId), all.map((d) => d.batch.guid), all.map((d) => d.k), all.map((d) => totals.get(d.batch.guid)!),
    all.map((d) => d.event.notifyType), all.map((d) => JSON.stringify(d.event.data ?? null)), all.map((d) => (d.filtered ? 1 : 0)),
    all.map((d) => (!d.filtered && d.event.unaddressed !== true ? 'pending' : 'skipped'))];
  return { drafts, empty: all.length === 0, params };
}

const APPEND = `WITH seq AS (
    INSERT INTO event_sequences (guid, last_sn) SELECT * FROM unnest($1::text[], $2::bigint[]) AS t(guid, n) ORDER BY guid
    ON CONFLICT (guid) DO UPDATE SET last_sn = event_sequences.last_sn + excluded.last_sn
    RETURNING guid, last_sn)
  INSERT INTO events (id, app_id, guid, sn, notify_type, data, created_at, filtered, webhook_state, attempts, next_attempt_at)
  SELECT e.id, e.app_id, e.guid, seq.last_sn - e.n + e.k, e.notify_type, e.data, $3, e.filtered, e.state, 0, CASE WHEN e.state = 'pending' THEN $3::bigint END
  FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::bigint[], $12::text[])
    AS e(id, app_id, guid, k, n, notify_type, data, filtered, state)
  JOIN seq ON seq.guid = e.guid`;

/**
 * One statement for any number of instances: each instance's sequence row is bumped (in guid order, so two appends
 * never wait on each other crosswise) and stays locked until the commit, so the next append to that instance waits for
 * this one and sns are gap-free (a rollback gives them back) and visible in order. As a single statement it is all or
 * nothing without a savepoint: one round trip for a room message's 500 members instead of four per member.
 */
async function appendMany(sql: Sql, batches: readonly EventBatch[], now: number, ids: () => string): Promise<EventRecord[][]> {
  const { drafts, empty, params } = appendStatement(batches, now, ids);
  if (empty) return batches.map(() => []);
  const rows = await sql.rows(`${APPEND} RETURNING id, sn`, params);
  const snOf = new Map(rows.map((r) => [r.id as string, r.sn as number]));
  return drafts.map((list) => list.map(({ id, batch, event, filtered }): EventRecord => ({
    id, appId: batch.appId, guid: batch.guid, sn: snOf.get(id)!, notifyType: event.notifyType, data: event.data, createdAt: now, filtered,
  })));
}

export function pgEvents(sql: Sql): EventRepository {
  return {
    append: async (appId, guid, events, now, ids) => (await appendMany(sql, [{ appId, guid, events }], now, ids))[0]!,
    appendMany: (batches, now, ids) => appendMany(sql, batches, now, ids),
    // With the COMMIT: the sequence rows' locks are then held only while the server runs it (pg-sql.ts runWithCommit).
    appendWithCommit: async (batches, now, ids) => {
      const { empty, params } = appendStatement(batches, now, ids);
      if (!empty) await sql.runWithCommit(APPEND, params);
    },
    get: async (id) => {
      const row = await sql.row('SELECT * FROM events WHERE id = $1', [id]);
      return row && eventFromRow(row);
    },
    list: async (q) => (q.notifyType === undefined
      ? await sql.rows('SELECT * FROM events WHERE guid = $1 AND sn > $2 ORDER BY sn LIMIT $3', [q.guid, q.afterSn, q.limit])
      : await sql.rows('SELECT * FROM events WHERE guid = $1 AND sn > $2 AND notify_type = $3 ORDER BY sn LIMIT $4', [q.guid, q.afterSn, q.notifyType, q.limit])
    ).map(eventFromRow),
    lastSn: async (guid) => ((await sql.row('SELECT last_sn FROM event_sequences WHERE guid = $1', [guid]))?.last_sn as number | undefined) ?? 0,
    range: async (guid, fromSn, toSn) =>
      (await sql.rows('SELECT * FROM events WHERE guid = $1 AND sn BETWEEN $2 AND $3 ORDER BY sn', [guid, fromSn, toSn])).map(eventFromRow),
    dueInstances: async (now) =>
      (await sql.rows(`SELECT DISTINCT guid FROM events WHERE webhook_state = 'pending' AND next_attempt_at <= $1`, [now])).map((r) => r.guid as string),
    oldestPending: async () =>
      (await sql.rows(`SELECT guid, MIN(created_at) AS created_at FROM events WHERE webhook_state = 'pending' GROUP BY guid`))
        .map((r) => ({ guid: r.guid as string, createdAt: r.created_at as number })),
    pending: async (guid, limit, afterSn = 0) =>
      (await sql.rows(`SELECT * FROM events WHERE guid = $1 AND webhook_state = 'pending' AND sn > $2 ORDER BY sn LIMIT $3`, [guid, afterSn, limit]))
        .map(eventFromRow),
    setWebhookStatus: async (id, status) => {
      await sql.run('UPDATE events SET webhook_state = $1, attempts = $2, next_attempt_at = $3 WHERE id = $4', [status.state, status.attempts, status.nextAttemptAt, id]);
    },
    requeue: async (ids, now) => {
      await sql.run(`UPDATE events SET webhook_state = 'pending', next_attempt_at = $1 WHERE id = ANY($2::text[])`, [now, ids]);
    },
    dueNow: async (guid, throughSn, now) => {
      await sql.run(`UPDATE events SET next_attempt_at = $1 WHERE guid = $2 AND webhook_state = 'pending' AND sn <= $3 AND next_attempt_at > $1`, [now, guid, throughSn]);
    },
    // One statement, so a group of deliveries costs one round trip instead of two per event (and a transaction).
    recordDeliveries: async (records) => {
      if (records.length === 0) return;
      const attempts = records.flatMap((r) => (r.attempt ? [r.attempt] : []));
      const statuses = [...new Map(records.flatMap((r) => (r.status ? [[r.eventId, { ...r.status, since: r.attempt?.startedAt ?? null }] as const] : []))).entries()];
      await sql.run(`WITH recorded AS (
          INSERT INTO delivery_attempts (event_id, attempt, started_at, duration_ms, status_code, error, response_excerpt)
          SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[])
          ON CONFLICT (event_id, attempt) DO NOTHING)
        UPDATE events SET webhook_state = s.state, attempts = s.attempts, next_attempt_at = s.next_attempt_at
        FROM unnest($8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[]) AS s(id, state, attempts, next_attempt_at, since)
        WHERE events.id = s.id AND (s.since IS NULL OR events.next_attempt_at IS NULL OR events.next_attempt_at <= s.since)`,
      [attempts.map((a) => a.eventId), attempts.map((a) => a.attempt), attempts.map((a) => a.startedAt), attempts.map((a) => a.durationMs),
        attempts.map((a) => a.statusCode), attempts.map((a) => a.error), attempts.map((a) => a.responseExcerpt),
        statuses.map(([id]) => id), statuses.map(([, st]) => st.state), statuses.map(([, st]) => st.attempts), statuses.map(([, st]) => st.nextAttemptAt), statuses.map(([, st]) => st.since)]);
    },
    cursor: async (guid, consumer) =>
      ((await sql.row('SELECT acked_sn FROM stream_cursors WHERE guid = $1 AND consumer = $2', [guid, consumer]))?.acked_sn as number | undefined) ?? null,
    setCursor: async (guid, consumer, ackedSn, now) => {
      await sql.run(`INSERT INTO stream_cursors (guid, consumer, acked_sn, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (guid, consumer) DO UPDATE SET acked_sn = GREATEST(stream_cursors.acked_sn, excluded.acked_sn), updated_at = excluded.updated_at`,
      [guid, consumer, ackedSn, now]);
    },
    attempts: async (eventId) =>
      (await sql.rows('SELECT * FROM delivery_attempts WHERE event_id = $1 ORDER BY attempt', [eventId])).map(attemptFromRow),
    prune: (before, limit) => sql.atomic(async (tx) => {
      const ids = (await tx.rows(`SELECT id FROM events WHERE created_at < $1 AND webhook_state != 'pending' ORDER BY created_at LIMIT $2`, [before, limit]))
        .map((r) => r.id as string);
      if (ids.length === 0) return 0;
      await tx.run('DELETE FROM delivery_attempts WHERE event_id = ANY($1::text[])', [ids]);
      return tx.run('DELETE FROM events WHERE id = ANY($1::text[])', [ids]);
    }),
  };
}

/** Signing secrets are encrypted at rest (each seal has its own nonce, so the (app_id, secret) key stays unique). */
export function pgSigningSecrets(sql: Sql, secrets: SecretColumns): SigningSecretRepository {
  return {
    active: async (appId, now) =>
      (await sql.rows('SELECT * FROM signing_secrets WHERE app_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at DESC, rid DESC', [appId, now]))
        .map((r) => ({
          secret: secrets.open(r.secret as string, secretContext.signingSecret(appId)),
          createdAt: r.created_at as number,
          expiresAt: (r.expires_at as number | null) ?? null,
        })),
    add: async (appId, secret, now) => {
      await sql.run('INSERT INTO signing_secrets (app_id, secret, created_at, expires_at) VALUES ($1, $2, $3, NULL)',
        [appId, secrets.seal(secret, secretContext.signingSecret(appId)), now]);
    },
    expireCurrent: async (appId, at) => {
      await sql.run('UPDATE signing_secrets SET expires_at = $1 WHERE app_id = $2 AND expires_at IS NULL', [at, appId]);
    },
  };
}
