// Sandbox third-party apps on PostgreSQL: mini-programs and OAuth apps, the one-time codes people give them, and
// mini-program short links.
import { codeFromRow, shortLinkFromRow, thirdPartyAppFromRow } from '../../rows/sandbox/sandbox-thirdparty-apps-rows.ts';
import type { SandboxThirdPartyAppRepository } from '../../sandbox-thirdparty-ports.ts';
import type { Sql } from '../pg-sql.ts';

export function pgSandboxThirdPartyApps(sql: Sql): SandboxThirdPartyAppRepository {
  return {
    create: async (app) => {
      await sql.run(`INSERT INTO sandbox_thirdparty_apps (app_id, appid, kind, name, icon_url, pages, redirect_uri, scopes, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [app.appId, app.appid, app.kind, app.name, app.iconUrl, JSON.stringify(app.pages), app.redirectUri, JSON.stringify(app.scopes), app.createdAt]);
    },
    get: async (appId, appid) => {
      const row = await sql.row('SELECT * FROM sandbox_thirdparty_apps WHERE app_id = $1 AND appid = $2', [appId, appid]);
      return row && thirdPartyAppFromRow(row);
    },
    putCode: async (code) => {
      await sql.run('INSERT INTO sandbox_thirdparty_codes (app_id, code, appid, wxid, kind, scope, expires_at, redeemed) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)',
        [code.appId, code.code, code.appid, code.wxid, code.kind, code.scope, code.expiresAt]);
    },
    getCode: async (appId, code) => {
      const row = await sql.row('SELECT * FROM sandbox_thirdparty_codes WHERE app_id = $1 AND code = $2', [appId, code]);
      return row && codeFromRow(row);
    },
    // One conditional UPDATE: a racing redeemer waits for the first one's row lock, then finds redeemed = 1 and touches nothing.
    redeemCode: async (appId, code) =>
      (await sql.run('UPDATE sandbox_thirdparty_codes SET redeemed = 1 WHERE app_id = $1 AND code = $2 AND redeemed = 0', [appId, code])) === 1,
    putShortLink: async (link) => {
      await sql.run('INSERT INTO sandbox_wxa_short_links (app_id, token, appid, path, title, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [link.appId, link.token, link.appid, link.path, link.title, link.createdBy, link.createdAt]);
    },
    getShortLink: async (appId, token) => {
      const row = await sql.row('SELECT * FROM sandbox_wxa_short_links WHERE app_id = $1 AND token = $2', [appId, token]);
      return row && shortLinkFromRow(row);
    },
  };
}
