// Send pacing on SQLite (tables send_pacing, send_pacing_devices, paced_sends, paced_send_log; migration 14).
import type Database from 'better-sqlite3';
import { PACING_TABLES, sendFromRow } from '../rows/send-pacing-rows.ts';
import type { PacedSendOutcome, SendPacingRepository, SendPacingSettings } from '../send-pacing-ports.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

export function sqliteSendPacing(prepared: Prepared, run: Run): SendPacingRepository {
  return {
    settings: (guid) => run(() => {
      const row = prepared('SELECT settings FROM send_pacing WHERE guid = ?').get(guid) as Row | undefined;
      return row && (JSON.parse(row.settings as string) as SendPacingSettings);
    }),
    allSettings: () => run(() =>
      (prepared('SELECT guid, settings FROM send_pacing').all() as Row[])
        .map((r) => ({ guid: r.guid as string, settings: JSON.parse(r.settings as string) as SendPacingSettings }))),
    saveSettings: (guid, settings) => run(() => {
      prepared('INSERT INTO send_pacing (guid, settings) VALUES (?, ?) ON CONFLICT(guid) DO UPDATE SET settings = excluded.settings')
        .run(guid, JSON.stringify(settings));
    }),
    deviceLogin: (guid) => run(() => {
      const row = prepared('SELECT wxid, first_login_at FROM send_pacing_devices WHERE guid = ?').get(guid) as Row | undefined;
      return row && { wxid: row.wxid as string, at: row.first_login_at as number };
    }),
    recordDeviceLogin: (guid, wxid, at) => run(() => {
      prepared(`INSERT INTO send_pacing_devices (guid, wxid, first_login_at) VALUES (?, ?, ?)
        ON CONFLICT(guid) DO UPDATE SET wxid = excluded.wxid, first_login_at = excluded.first_login_at WHERE send_pacing_devices.wxid <> excluded.wxid`)
        .run(guid, wxid, at);
    }),
    enqueue: (r) => run(() => {
      prepared('INSERT INTO paced_sends (queue_id, app_id, guid, path, request, recipient, enqueued_at, state, answer, waiter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(r.queueId, r.appId, r.guid, r.path, JSON.stringify(r.request), r.recipient, r.enqueuedAt, r.state, r.answer, r.waiter);
    }),
    pending: (guid) => run(() => (guid === undefined
      ? prepared('SELECT * FROM paced_sends ORDER BY seq').all() as Row[]
      : prepared('SELECT * FROM paced_sends WHERE guid = ? ORDER BY seq').all(guid) as Row[]).map(sendFromRow)),
    queuedInstances: () => run(() => (prepared('SELECT DISTINCT guid FROM paced_sends').all() as Row[]).map((r) => r.guid as string)),
    markSending: (queueId) => run(() => {
      prepared("UPDATE paced_sends SET state = 'sending' WHERE queue_id = ?").run(queueId);
    }),
    remove: (queueId) => run(() => {
      prepared('DELETE FROM paced_sends WHERE queue_id = ?').run(queueId);
    }),
    withdraw: (queueId) => run(() => prepared("DELETE FROM paced_sends WHERE queue_id = ? AND state = 'queued'").run(queueId).changes > 0),
    keepOutcome: (queueId, guid, outcome, at) => run(() => {
      prepared('INSERT INTO paced_send_outcomes (queue_id, guid, outcome, finished_at) VALUES (?, ?, ?, ?)').run(queueId, guid, JSON.stringify(outcome), at);
    }),
    takeOutcome: (queueId) => run(() => {
      const row = prepared('DELETE FROM paced_send_outcomes WHERE queue_id = ? RETURNING outcome').get(queueId) as Row | undefined;
      return row && (JSON.parse(row.outcome as string) as PacedSendOutcome);
    }),
    forgetOutcomesBefore: (at) => run(() => {
      prepared('DELETE FROM paced_send_outcomes WHERE finished_at <= ?').run(at);
    }),
    recordSent: (guid, entry) => run(() => {
      prepared('INSERT INTO paced_send_log (guid, at, recipient) VALUES (?, ?, ?)').run(guid, entry.at, entry.recipient);
    }),
    sentSince: (guid, since) => run(() =>
      (prepared('SELECT at, recipient FROM paced_send_log WHERE guid = ? AND at > ? ORDER BY at').all(guid, since) as Row[])
        .map((r) => ({ at: r.at as number, recipient: r.recipient as string }))),
    forgetSentBefore: (at) => run(() => {
      prepared('DELETE FROM paced_send_log WHERE at <= ?').run(at);
    }),
    removeInstance: (guid) => run(() => {
      for (const table of PACING_TABLES) prepared(`DELETE FROM ${table} WHERE guid = ?`).run(guid);
    }),
  };
}
