// Sandbox third-party apps on SQLite: mini-programs and OAuth apps, the one-time codes people give them, and
// mini-program short links.
import { codeFromRow, shortLinkFromRow, thirdPartyAppFromRow } from '../../rows/sandbox/sandbox-thirdparty-apps-rows.ts';
import type { SandboxThirdPartyAppRepository } from '../../sandbox-ports.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';


export function sqliteSandboxThirdPartyApps(prepared: SandboxPrepared, run: SandboxRun): SandboxThirdPartyAppRepository {
  return {
    create: (app) => run(() => {
      prepared(`INSERT INTO sandbox_thirdparty_apps (app_id, appid, kind, name, icon_url, pages, redirect_uri, scopes, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(app.appId, app.appid, app.kind, app.name, app.iconUrl, JSON.stringify(app.pages), app.redirectUri, JSON.stringify(app.scopes), app.createdAt);
    }),
    get: (appId, appid) => run(() => {
      const row = prepared('SELECT * FROM sandbox_thirdparty_apps WHERE app_id = ? AND appid = ?').get(appId, appid) as SandboxRow | undefined;
      return row && thirdPartyAppFromRow(row);
    }),
    putCode: (code) => run(() => {
      prepared('INSERT INTO sandbox_thirdparty_codes (app_id, code, appid, wxid, kind, scope, expires_at, redeemed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)')
        .run(code.appId, code.code, code.appid, code.wxid, code.kind, code.scope, code.expiresAt);
    }),
    getCode: (appId, code) => run(() => {
      const row = prepared('SELECT * FROM sandbox_thirdparty_codes WHERE app_id = ? AND code = ?').get(appId, code) as SandboxRow | undefined;
      return row && codeFromRow(row);
    }),
    redeemCode: (appId, code) => run(() =>
      prepared('UPDATE sandbox_thirdparty_codes SET redeemed = 1 WHERE app_id = ? AND code = ? AND redeemed = 0').run(appId, code).changes === 1),
    putShortLink: (link) => run(() => {
      prepared('INSERT INTO sandbox_wxa_short_links (app_id, token, appid, path, title, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(link.appId, link.token, link.appid, link.path, link.title, link.createdBy, link.createdAt);
    }),
    getShortLink: (appId, token) => run(() => {
      const row = prepared('SELECT * FROM sandbox_wxa_short_links WHERE app_id = ? AND token = ?').get(appId, token) as SandboxRow | undefined;
      return row && shortLinkFromRow(row);
    }),
  };
}
