// Send pacing on PostgreSQL (tables send_pacing, send_pacing_devices, paced_sends, paced_send_log).
import { PACING_TABLES, sendFromRow } from '../rows/send-pacing-rows.ts';
import type { PacedSendOutcome, SendPacingRepository, SendPacingSettings } from '../send-pacing-ports.ts';
import type { Sql } from './pg-sql.ts';

export function pgSendPacing(sql: Sql): SendPacingRepository {
  return {
    settings: async (guid) => {
      const row = await sql.row('SELECT settings FROM send_pacing WHERE guid = $1', [guid]);
      return row && (JSON.parse(row.settings as string) as SendPacingSettings);
    },
    // In the order instances first got settings (rid survives the upsert), as SQLite's rowid scan answers.
    allSettings: async () =>
      (await sql.rows('SELECT guid, settings FROM send_pacing ORDER BY rid'))
        .map((r) => ({ guid: r.guid as string, settings: JSON.parse(r.settings as string) as SendPacingSettings })),
    saveSettings: async (guid, settings) => {
      await sql.run('INSERT INTO send_pacing (guid, settings) VALUES ($1, $2) ON CONFLICT (guid) DO UPDATE SET settings = excluded.settings',
        [guid, JSON.stringify(settings)]);
    },
    deviceLogin: async (guid) => {
      const row = await sql.row('SELECT wxid, first_login_at FROM send_pacing_devices WHERE guid = $1', [guid]);
      return row && { wxid: row.wxid as string, at: row.first_login_at as number };
    },
    recordDeviceLogin: async (guid, wxid, at) => {
      await sql.run(`INSERT INTO send_pacing_devices (guid, wxid, first_login_at) VALUES ($1, $2, $3)
        ON CONFLICT (guid) DO UPDATE SET wxid = excluded.wxid, first_login_at = excluded.first_login_at WHERE send_pacing_devices.wxid <> excluded.wxid`,
      [guid, wxid, at]);
    },
    enqueue: async (r) => {
      await sql.run(`INSERT INTO paced_sends (queue_id, app_id, guid, path, request, recipient, enqueued_at, state, answer, waiter)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.queueId, r.appId, r.guid, r.path, JSON.stringify(r.request), r.recipient, r.enqueuedAt, r.state, r.answer, r.waiter]);
    },
    // seq is given at enqueue and never rewritten, so a state change keeps the record's place.
    pending: async (guid) => (guid === undefined
      ? await sql.rows('SELECT * FROM paced_sends ORDER BY seq')
      : await sql.rows('SELECT * FROM paced_sends WHERE guid = $1 ORDER BY seq', [guid])).map(sendFromRow),
    queuedInstances: async () => (await sql.rows('SELECT DISTINCT guid FROM paced_sends')).map((r) => r.guid as string),
    markSending: async (queueId) => {
      await sql.run("UPDATE paced_sends SET state = 'sending' WHERE queue_id = $1", [queueId]);
    },
    remove: async (queueId) => {
      await sql.run('DELETE FROM paced_sends WHERE queue_id = $1', [queueId]);
    },
    withdraw: async (queueId) =>
      (await sql.rows("DELETE FROM paced_sends WHERE queue_id = $1 AND state = 'queued' RETURNING queue_id", [queueId])).length > 0,
    keepOutcome: async (queueId, guid, outcome, at) => {
      await sql.run('INSERT INTO paced_send_outcomes (queue_id, guid, outcome, finished_at) VALUES ($1, $2, $3, $4)',
        [queueId, guid, JSON.stringify(outcome), at]);
    },
    takeOutcome: async (queueId) => {
      const row = await sql.row('DELETE FROM paced_send_outcomes WHERE queue_id = $1 RETURNING outcome', [queueId]);
      return row && (JSON.parse(row.outcome as string) as PacedSendOutcome);
    },
    forgetOutcomesBefore: async (at) => {
      await sql.run('DELETE FROM paced_send_outcomes WHERE finished_at <= $1', [at]);
    },
    recordSent: async (guid, entry) => {
      await sql.run('INSERT INTO paced_send_log (guid, at, recipient) VALUES ($1, $2, $3)', [guid, entry.at, entry.recipient]);
    },
    // Sends of one millisecond in the order recorded, as SQLite's (guid, at) index, which ends in the rowid, gives them.
    sentSince: async (guid, since) =>
      (await sql.rows('SELECT at, recipient FROM paced_send_log WHERE guid = $1 AND at > $2 ORDER BY at, rid', [guid, since]))
        .map((r) => ({ at: r.at as number, recipient: r.recipient as string })),
    forgetSentBefore: async (at) => {
      await sql.run('DELETE FROM paced_send_log WHERE at <= $1', [at]);
    },
    removeInstance: (guid) => sql.atomic(async (tx) => {
      for (const table of PACING_TABLES) await tx.run(`DELETE FROM ${table} WHERE guid = $1`, [guid]);
    }),
  };
}
