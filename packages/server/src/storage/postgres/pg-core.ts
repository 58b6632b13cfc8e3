// Apps, instances and the rate limit's memory on PostgreSQL.
import type { AppRepository, InstancePatch, InstanceRepository, QuotaRepository } from '../ports.ts';
import { appFromRow, instanceFromRow } from '../rows/core-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';
import type { Row, Sql } from './pg-sql.ts';

/** Instance fields ↔ columns; booleans become 0/1, objects JSON text. */
const INSTANCE_COLUMNS: Record<keyof InstancePatch, string> = {
  runState: 'run_state', loginWxid: 'login_wxid', clientType: 'client_type', notifyUrl: 'notify_url', bridge: 'bridge',
  proxy: 'proxy', isLongProxy: 'is_long_proxy', isLoginProxy: 'is_login_proxy', syncHistoryMsg: 'sync_history_msg',
  autoStart: 'auto_start', payload: 'payload', callbackOptions: 'callback_options',
};
const APP_COLUMNS: Record<string, string> = { name: 'name', secretHash: 'secret_hash', mode: 'mode', disabled: 'disabled' };

export const toColumn = (value: unknown): unknown =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value !== null && typeof value === 'object' ? JSON.stringify(value) : value;

/** `UPDATE table SET … WHERE key = $n` for the fields present in `patch`; column names come from a fixed map only. */
export function updateStatement(table: string, key: string, columns: Record<string, string>, patch: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const sets: string[] = [];
  const values: unknown[] = [];
  const assign = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = columns[field];
    if (!column) throw new Error(`unknown field ${field} for ${table}`);
    assign(column, toColumn(value));
  }
  const empty = sets.length === 0;
  for (const [column, value] of Object.entries(extra)) assign(column, value);
  return { text: `UPDATE ${table} SET ${sets.join(', ')} WHERE ${key} = $${values.length + 1}`, values, empty };
}

export function pgApps(sql: Sql): AppRepository {
  return {
    insert: async (a) => {
      await sql.run('INSERT INTO apps (id, app_key, name, secret_hash, mode, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [a.id, a.appKey, a.name, a.secretHash, a.mode, a.disabled ? 1 : 0, a.createdAt]);
    },
    findByKey: async (appKey) => {
      const row = await sql.row('SELECT * FROM apps WHERE app_key = $1', [appKey]);
      return row && appFromRow(row);
    },
    findById: async (id) => {
      const row = await sql.row('SELECT * FROM apps WHERE id = $1', [id]);
      return row && appFromRow(row);
    },
    list: async () => (await sql.rows('SELECT * FROM apps ORDER BY created_at, id')).map(appFromRow),
    update: async (id, patch) => {
      const u = updateStatement('apps', 'id', APP_COLUMNS, patch);
      if (!u.empty) await sql.run(u.text, [...u.values, id]);
    },
  };
}

export function pgInstances(sql: Sql, secrets: SecretColumns): InstanceRepository {
  const fromRow = (r: Row) => instanceFromRow(r, secrets);
  return {
    insert: async (i) => {
      await sql.run(`INSERT INTO instances (guid, app_id, run_state, login_wxid, client_type, notify_url, bridge, proxy, is_long_proxy,
        is_login_proxy, sync_history_msg, auto_start, payload, callback_options, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [i.guid, i.appId, i.runState, i.loginWxid, i.clientType, i.notifyUrl, i.bridge, secrets.seal(i.proxy, secretContext.proxy(i.guid)), toColumn(i.isLongProxy),
        toColumn(i.isLoginProxy), toColumn(i.syncHistoryMsg), toColumn(i.autoStart), i.payload, toColumn(i.callbackOptions), i.createdAt, i.updatedAt]);
    },
    get: async (guid) => {
      const row = await sql.row('SELECT * FROM instances WHERE guid = $1', [guid]);
      return row && fromRow(row);
    },
    listByApp: async (appId) => (await sql.rows('SELECT * FROM instances WHERE app_id = $1 ORDER BY created_at, guid', [appId])).map(fromRow),
    listAll: async () => (await sql.rows('SELECT * FROM instances ORDER BY created_at, guid')).map(fromRow),
    // An account is logged in on one instance; should two rows ever name it, the oldest wins.
    findByLogin: async (appId, wxid) =>
      (await sql.row('SELECT guid FROM instances WHERE app_id = $1 AND login_wxid = $2 ORDER BY created_at, guid LIMIT 1', [appId, wxid]))?.guid as string | undefined,
    findByLogins: async (appId, wxids) => {
      const rows = await sql.rows(`SELECT DISTINCT ON (login_wxid) login_wxid, guid FROM instances
        WHERE app_id = $1 AND login_wxid = ANY($2::text[]) ORDER BY login_wxid, created_at, guid`, [appId, wxids]);
      return new Map(rows.map((r) => [r.login_wxid as string, r.guid as string]));
    },
    countByApp: async (appId) => (await sql.row('SELECT count(*)::bigint AS n FROM instances WHERE app_id = $1', [appId]))!.n as number,
    update: async (guid, patch, now) => {
      const sealed = patch.proxy === undefined ? patch : { ...patch, proxy: secrets.seal(patch.proxy, secretContext.proxy(guid)) };
      const u = updateStatement('instances', 'guid', INSTANCE_COLUMNS, sealed, { updated_at: now });
      await sql.run(u.text, [...u.values, guid]);
    },
    delete: (guid) => sql.atomic(async (tx) => {
      await tx.run('DELETE FROM instance_locks WHERE guid = $1', [guid]);
      await tx.run('DELETE FROM quota_calls WHERE guid = $1', [guid]);
      await tx.run('DELETE FROM instances WHERE guid = $1', [guid]);
    }),
  };
}

export function pgQuota(sql: Sql): QuotaRepository {
  return {
    recordCalls: (tallies, forget, windowStart) => {
      const count = (target: Sql) => target.run(`INSERT INTO quota_calls (guid, at, calls) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
          ON CONFLICT (guid, at) DO UPDATE SET calls = quota_calls.calls + excluded.calls`,
      [tallies.map((t) => t.guid), tallies.map((t) => t.at), tallies.map((t) => t.calls)]);
      const prune = (target: Sql) => target.run('DELETE FROM quota_calls WHERE guid = ANY($1::text[]) AND at <= $2', [forget, windowStart]);
      // One statement needs no transaction of its own (a call's count is on the hot path of every request).
      if (forget.length === 0) return tallies.length === 0 ? Promise.resolve() : count(sql).then(() => undefined);
      if (tallies.length === 0) return prune(sql).then(() => undefined);
      return sql.atomic(async (tx) => {
        await count(tx);
        await prune(tx);
      });
    },
    recentCalls: async (windowStart) =>
      (await sql.rows('SELECT guid, at, calls FROM quota_calls WHERE at > $1 ORDER BY guid, at', [windowStart]))
        .map((r) => ({ guid: r.guid as string, at: r.at as number, calls: r.calls as number })),
    forgetCallsBefore: async (windowStart) => {
      await sql.run('DELETE FROM quota_calls WHERE at <= $1', [windowStart]);
    },
    setLock: (guid, lockedUntil) => sql.atomic(async (tx) => {
      await tx.run('INSERT INTO instance_locks (guid, locked_until) VALUES ($1, $2) ON CONFLICT (guid) DO UPDATE SET locked_until = excluded.locked_until',
        [guid, lockedUntil]);
      await tx.run('DELETE FROM quota_calls WHERE guid = $1', [guid]);
    }),
    clearLock: async (guid) => {
      await sql.run('DELETE FROM instance_locks WHERE guid = $1', [guid]);
    },
    activeLocks: async (now) =>
      (await sql.rows('SELECT guid, locked_until FROM instance_locks WHERE locked_until > $1', [now]))
        .map((r) => ({ guid: r.guid as string, lockedUntil: r.locked_until as number })),
  };
}
