// The writes a PostgreSQL transaction holds back to its commit (a send's archive insert and callbacks), as statements:
// typed, so that those of many transactions merge into one statement each when a group commits them together.
import type pg from 'pg';
import type { EventBatch } from '../ports.ts';
import type { NewSandboxMessage } from '../sandbox-message-ports.ts';

/** One event row to append, its id drawn when it was held back. */
interface HeldBackEvent {
  readonly id: string;
  readonly appId: string;
  readonly guid: string;
  readonly notifyType: number;
  /** JSON text. */
  readonly data: string;
  readonly filtered: boolean;
  readonly state: 'pending' | 'skipped';
  readonly createdAt: number;
}

export type HeldBackWrite =
  | { readonly kind: 'archive'; readonly message: NewSandboxMessage }
  | { readonly kind: 'events'; readonly events: readonly HeldBackEvent[] };

/** The events of `batches` as rows to append, numbered when written. */
export function heldBackEvents(batches: readonly EventBatch[], now: number, ids: () => string): { kind: 'events'; events: HeldBackEvent[] } {
  return {
    kind: 'events',
    events: batches.flatMap((b) => b.events.map((event): HeldBackEvent => ({
      id: ids(), appId: b.appId, guid: b.guid, notifyType: event.notifyType, data: JSON.stringify(event.data ?? null), filtered: event.filtered === true,
      state: event.filtered !== true && event.unaddressed !== true ? 'pending' : 'skipped', createdAt: now,
    }))),
  };
}

/**
 * The archive locks of the apps, one after another in name order — the order every transaction takes them in, so two
 * never wait on each other crosswise — before any seq is drawn: values then commit in the order they were drawn.
 */
const ARCHIVE_LOCKS = `SELECT pg_advisory_xact_lock(hashtext('archive:' || app)) FROM unnest($1::text[]) AS a(app)`;

const ARCHIVE_INSERT = `INSERT INTO sandbox_messages (app_id, msg_id, local_id, client_msg_id, session, from_wxid, to_username,
  chatroom, msg_type, app_type, content, source, push_desc, refers_to, created_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[],
    $10::bigint[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[])`;

/**
 * Each instance's sequence row is bumped once for all its events (in guid order, as ARCHIVE_LOCKS) and stays locked to
 * the commit, so sns are gap-free and visible in order; the events are numbered from it in the order given.
 */
export const EVENTS_APPEND = `WITH seq AS (
    INSERT INTO event_sequences (guid, last_sn) SELECT * FROM unnest($1::text[], $2::bigint[]) AS t(guid, n) ORDER BY guid
    ON CONFLICT (guid) DO UPDATE SET last_sn = event_sequences.last_sn + excluded.last_sn
    RETURNING guid, last_sn)
  INSERT INTO events (id, app_id, guid, sn, notify_type, data, created_at, filtered, webhook_state, attempts, next_attempt_at)
  SELECT e.id, e.app_id, e.guid, seq.last_sn - e.n + e.k, e.notify_type, e.data, e.created_at, e.filtered, e.state, 0,
    CASE WHEN e.state = 'pending' THEN e.created_at END
  FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::text[], $12::bigint[])
    AS e(id, app_id, guid, k, n, notify_type, data, filtered, state, created_at)
  JOIN seq ON seq.guid = e.guid`;

/** The statements that make `writes`, in the order given: archive inserts first, then the events. */
export function heldBackStatements(writes: readonly HeldBackWrite[]): pg.QueryConfig[] {
  const messages = writes.flatMap((w) => (w.kind === 'archive' ? [w.message] : []));
  const events = writes.flatMap((w) => (w.kind === 'events' ? w.events : []));
  const statements: pg.QueryConfig[] = [];
  if (messages.length > 0) {
    statements.push({ name: 'wxg_held_archive_locks', text: ARCHIVE_LOCKS, values: [[...new Set(messages.map((m) => m.appId))].sort()] });
    const column = <K extends keyof NewSandboxMessage>(key: K) => messages.map((m) => m[key]);
    statements.push({
      name: 'wxg_held_archive_insert',
      text: ARCHIVE_INSERT,
      values: [column('appId'), column('msgId'), column('localId'), column('clientMsgId'), column('session'), column('fromWxid'), column('toUsername'),
        column('chatroom'), column('msgType'), column('appType'), column('content'), column('source'), column('pushDesc'), column('refersTo'), column('createdAt')],
    });
  }
  if (events.length > 0) statements.push({ name: 'wxg_held_events_append', text: EVENTS_APPEND, values: eventsAppendValues(events) });
  return statements;
}

/** EVENTS_APPEND's parameters: the events numbered per instance in the order given. */
export function eventsAppendValues(events: readonly HeldBackEvent[]): unknown[] {
  const totals = new Map<string, number>();
  const k = events.map((e) => {
    const n = (totals.get(e.guid) ?? 0) + 1;
    totals.set(e.guid, n);
    return n;
  });
  const column = <K extends keyof HeldBackEvent>(key: K) => events.map((e) => e[key]);
  return [[...totals.keys()], [...totals.values()], column('id'), column('appId'), column('guid'), k, events.map((e) => totals.get(e.guid)!),
    column('notifyType'), column('data'), events.map((e) => (e.filtered ? 1 : 0)), column('state'), column('createdAt')];
}
