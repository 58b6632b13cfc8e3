// Third-party apps, their one-time codes and mini-program short links from SQL rows, for every SQL store (lists are JSON text, flags 0/1).
import type { SandboxThirdPartyApp, SandboxThirdPartyCode, SandboxWxaShortLink } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const thirdPartyAppFromRow = (r: Row): SandboxThirdPartyApp => ({
  appId: r.app_id as string,
  appid: r.appid as string,
  kind: r.kind as SandboxThirdPartyApp['kind'],
  name: r.name as string,
  iconUrl: r.icon_url as string,
  pages: JSON.parse(r.pages as string) as string[],
  redirectUri: r.redirect_uri as string,
  scopes: JSON.parse(r.scopes as string) as string[],
  createdAt: r.created_at as number,
});

export const codeFromRow = (r: Row): SandboxThirdPartyCode => ({
  appId: r.app_id as string,
  code: r.code as string,
  appid: r.appid as string,
  wxid: r.wxid as string,
  kind: r.kind as SandboxThirdPartyCode['kind'],
  scope: r.scope as string,
  expiresAt: r.expires_at as number,
  redeemed: r.redeemed === 1,
});

export const shortLinkFromRow = (r: Row): SandboxWxaShortLink => ({
  appId: r.app_id as string,
  token: r.token as string,
  appid: r.appid as string,
  path: r.path as string,
  title: r.title as string,
  createdBy: r.created_by as string,
  createdAt: r.created_at as number,
});
