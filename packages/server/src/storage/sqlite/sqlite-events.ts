// The outbox, delivery attempts and signing secrets on SQLite.
import type Database from 'better-sqlite3';
import type {
  DeliveryAttempt, EventRecord, EventRepository, NewEvent, SigningSecretRepository, WebhookState, WebhookStatus,
} from '../ports.ts';
import { attemptFromRow, eventFromRow } from '../rows/event-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';

type Row = Record<string, unknown>;
export type Prepared = (sql: string) => Database.Statement;
export type Run = <T>(fn: () => T) => Promise<T>;
/** Runs `fn` all or nothing: a transaction of its own, or a savepoint inside the caller's. */
export type Atomic = <T>(fn: () => T) => T;

export function sqliteEvents(prepared: Prepared, run: Run, atomic: Atomic): EventRepository {
  /** Numbers `events` after the instance's last sn and inserts them; inside the caller's atomic block. */
  const appendTo = (appId: string, guid: string, events: readonly NewEvent[], now: number, ids: () => string): EventRecord[] => {
    const seq = prepared('SELECT last_sn FROM event_sequences WHERE guid = ?').get(guid) as Row | undefined;
    let sn = (seq?.last_sn as number | undefined) ?? 0;
    const insert = prepared(`INSERT INTO events (id, app_id, guid, sn, notify_type, data, created_at, filtered, webhook_state, attempts, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`);
    const records: EventRecord[] = [];
    for (const event of events) {
      sn += 1;
      const filtered = event.filtered === true;
      const record: EventRecord = { id: ids(), appId, guid, sn, notifyType: event.notifyType, data: event.data, createdAt: now, filtered };
      const queued = !filtered && event.unaddressed !== true;
      const state: WebhookState = queued ? 'pending' : 'skipped';
      insert.run(record.id, appId, guid, sn, event.notifyType, JSON.stringify(event.data ?? null), now, filtered ? 1 : 0, state, queued ? now : null);
      records.push(record);
    }
    if (events.length > 0) prepared('INSERT INTO event_sequences (guid, last_sn) VALUES (?, ?) ON CONFLICT(guid) DO UPDATE SET last_sn = excluded.last_sn').run(guid, sn);
    return records;
  };
  return {
    // All or nothing: an event refused halfway (a clashing id) must not leave the ones before it numbered past last_sn.
    append: (appId, guid, events, now, ids) => run(() => atomic(() => appendTo(appId, guid, events, now, ids))),
    appendMany: (batches, now, ids) => run(() => atomic(() => batches.map((b) => appendTo(b.appId, b.guid, b.events, now, ids)))),
    // SQLite runs one transaction at a time: there is no lock to shorten, so the write is made at once.
    appendWithCommit: (batches, now, ids) => run(() => {
      atomic(() => batches.map((b) => appendTo(b.appId, b.guid, b.events, now, ids)));
    }),
    get: (id) => run(() => {
      const row = prepared('SELECT * FROM events WHERE id = ?').get(id) as Row | undefined;
      return row && eventFromRow(row);
    }),
    list: (q) => run(() => {
      const rows = q.notifyType === undefined
        ? prepared('SELECT * FROM events WHERE guid = ? AND sn > ? ORDER BY sn LIMIT ?').all(q.guid, q.afterSn, q.limit)
        : prepared('SELECT * FROM events WHERE guid = ? AND sn > ? AND notify_type = ? ORDER BY sn LIMIT ?').all(q.guid, q.afterSn, q.notifyType, q.limit);
      return (rows as Row[]).map(eventFromRow);
    }),
    lastSn: (guid) => run(() => ((prepared('SELECT last_sn FROM event_sequences WHERE guid = ?').get(guid) as Row | undefined)?.last_sn as number | undefined) ?? 0),
    range: (guid, fromSn, toSn) => run(() =>
      (prepared('SELECT * FROM events WHERE guid = ? AND sn BETWEEN ? AND ? ORDER BY sn').all(guid, fromSn, toSn) as Row[]).map(eventFromRow)),
    dueInstances: (now) => run(() =>
      (prepared(`SELECT DISTINCT guid FROM events WHERE webhook_state = 'pending' AND next_attempt_at <= ?`).all(now) as Row[]).map((r) => r.guid as string)),
    oldestPending: () => run(() =>
      (prepared(`SELECT guid, MIN(created_at) AS created_at FROM events WHERE webhook_state = 'pending' GROUP BY guid`).all() as Row[])
        .map((r) => ({ guid: r.guid as string, createdAt: r.created_at as number }))),
    pending: (guid, limit, afterSn = 0) => run(() =>
      (prepared(`SELECT * FROM events WHERE guid = ? AND webhook_state = 'pending' AND sn > ? ORDER BY sn LIMIT ?`).all(guid, afterSn, limit) as Row[])
        .map(eventFromRow)),
    setWebhookStatus: (id, status) => run(() => {
      prepared('UPDATE events SET webhook_state = ?, attempts = ?, next_attempt_at = ? WHERE id = ?').run(status.state, status.attempts, status.nextAttemptAt, id);
    }),
    requeue: (ids, now) => run(() => {
      const update = prepared(`UPDATE events SET webhook_state = 'pending', next_attempt_at = ? WHERE id = ?`);
      for (const id of ids) update.run(now, id);
    }),
    dueNow: (guid, throughSn, now) => run(() => {
      prepared(`UPDATE events SET next_attempt_at = ? WHERE guid = ? AND webhook_state = 'pending' AND sn <= ? AND next_attempt_at > ?`).run(now, guid, throughSn, now);
    }),
    recordDeliveries: (records) => run(() => atomic(() => {
      const insert = prepared(`INSERT INTO delivery_attempts (event_id, attempt, started_at, duration_ms, status_code, error, response_excerpt)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(event_id, attempt) DO NOTHING`);
      const update = prepared(`UPDATE events SET webhook_state = ?, attempts = ?, next_attempt_at = ?
        WHERE id = ? AND (? IS NULL OR next_attempt_at IS NULL OR next_attempt_at <= ?)`);
      const statuses = new Map<string, { status: WebhookStatus; since: number | null }>();
      for (const { eventId, attempt: a, status } of records) {
        if (a) insert.run(a.eventId, a.attempt, a.startedAt, a.durationMs, a.statusCode, a.error, a.responseExcerpt);
        if (status) statuses.set(eventId, { status, since: a?.startedAt ?? null });
      }
      // The later status of an event wins, judged against the event as it was before this call (as PostgreSQL's one statement does).
      for (const [eventId, { status, since }] of statuses) update.run(status.state, status.attempts, status.nextAttemptAt, eventId, since, since);
    })),
    cursor: (guid, consumer) => run(() =>
      ((prepared('SELECT acked_sn FROM stream_cursors WHERE guid = ? AND consumer = ?').get(guid, consumer) as Row | undefined)?.acked_sn as number | undefined) ?? null),
    setCursor: (guid, consumer, ackedSn, now) => run(() => {
      prepared(`INSERT INTO stream_cursors (guid, consumer, acked_sn, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(guid, consumer) DO UPDATE SET acked_sn = max(acked_sn, excluded.acked_sn), updated_at = excluded.updated_at`).run(guid, consumer, ackedSn, now);
    }),
    attempts: (eventId) => run(() =>
      (prepared('SELECT * FROM delivery_attempts WHERE event_id = ? ORDER BY attempt').all(eventId) as Row[]).map(attemptFromRow)),
    prune: (before, limit) => run(() => {
      const ids = (prepared('SELECT id FROM events WHERE created_at < ? AND webhook_state != ? ORDER BY created_at LIMIT ?').all(before, 'pending', limit) as Row[])
        .map((r) => r.id as string);
      const dropAttempts = prepared('DELETE FROM delivery_attempts WHERE event_id = ?');
      const dropEvent = prepared('DELETE FROM events WHERE id = ?');
      for (const id of ids) {
        dropAttempts.run(id);
        dropEvent.run(id);
      }
      return ids.length;
    }),
  };
}

/** Signing secrets are encrypted at rest (each seal has its own nonce, so the (app_id, secret) key stays unique). */
export function sqliteSigningSecrets(prepared: Prepared, run: Run, secrets: SecretColumns): SigningSecretRepository {
  return {
    active: (appId, now) => run(() =>
      (prepared('SELECT * FROM signing_secrets WHERE app_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, rowid DESC').all(appId, now) as Row[])
        .map((r) => ({
          secret: secrets.open(r.secret as string, secretContext.signingSecret(appId)),
          createdAt: r.created_at as number,
          expiresAt: (r.expires_at as number | null) ?? null,
        }))),
    add: (appId, secret, now) => run(() => {
      prepared('INSERT INTO signing_secrets (app_id, secret, created_at, expires_at) VALUES (?, ?, ?, NULL)')
        .run(appId, secrets.seal(secret, secretContext.signingSecret(appId)), now);
    }),
    expireCurrent: (appId, at) => run(() => {
      prepared('UPDATE signing_secrets SET expires_at = ? WHERE app_id = ? AND expires_at IS NULL').run(at, appId);
    }),
  };
}
