// The outbox, delivery attempts, stream cursors and signing secrets on PostgreSQL.
import type { EventBatch, EventRecord, EventRepository, SigningSecretRepository } from '../ports.ts';
import { attemptFromRow, eventFromRow } from '../rows/event-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';
import { eventsAppendValues, EVENTS_APPEND, heldBackEvents } from './pg-held-back.ts';
import type { Sql } from './pg-sql.ts';

/**
 * One statement for any number of instances (EVENTS_APPEND): each instance's sequence row is bumped and stays locked
 * until the commit, so the next append to that instance waits for this one and sns are gap-free (a rollback gives them
 * back) and visible in order. As a single statement it is all or nothing without a savepoint: one round trip for a
 * room message's 500 members instead of four per member.
 */
async function appendMany(sql: Sql, batches: readonly EventBatch[], now: number, ids: () => string): Promise<EventRecord[][]> {
  const { events } = heldBackEvents(batches, now, ids);
  if (events.length === 0) return batches.map(() => []);
  const rows = await sql.rows(`${EVENTS_APPEND} RETURNING id, sn`, eventsAppendValues(events));
  const snOf = new Map(rows.map((r) => [r.id as string, r.sn as number]));
  let next = 0;
  return batches.map((batch) => batch.events.map((event): EventRecord => {
    const { id } = events[next++]!;
    return { id, appId: batch.appId, guid: batch.guid, sn: snOf.get(id)!, notifyType: event.notifyType, data: event.data, createdAt: now, filtered: event.filtered === true };
  }));
}

export function pgEvents(sql: Sql): EventRepository {
  return {
    append: async (appId, guid, events, now, ids) => (await appendMany(sql, [{ appId, guid, events }], now, ids))[0]!,
    appendMany: (batches, now, ids) => appendMany(sql, batches, now, ids),
    // With the commit (Sql.holdBack): the sequence rows are then locked only while the server commits.
    appendWithCommit: async (batches, now, ids) => {
      const write = heldBackEvents(batches, now, ids);
      if (write.events.length > 0) await sql.holdBack(write);
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
