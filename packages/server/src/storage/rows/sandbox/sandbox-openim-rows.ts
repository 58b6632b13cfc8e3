// WeCom corporations, WeCom profiles and OpenIM rooms from SQL rows, for every SQL store (flags are 0/1).
import type { SandboxCorporation, SandboxOpenImRoom, SandboxWeComProfile } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const corpFromRow = (r: Row): SandboxCorporation => ({
  appId: r.app_id as string,
  corpId: r.corp_id as string,
  name: r.name as string,
  fullName: r.full_name as string,
  openimAppid: r.openim_appid as string,
  wordingId: r.wording_id as string,
  createdAt: r.created_at as number,
});

export const profileFromRow = (r: Row): SandboxWeComProfile => ({
  appId: r.app_id as string,
  username: r.username as string,
  corpId: r.corp_id as string,
  realName: r.real_name as string,
  position: r.position as string,
  qrToken: r.qr_token as string,
  cardBlocked: r.card_blocked === 1,
  createdAt: r.created_at as number,
});

export const openImRoomFromRow = (r: Row): SandboxOpenImRoom => ({
  appId: r.app_id as string,
  roomUsername: r.room_username as string,
  name: r.name as string,
  ownerUsername: r.owner_username as string,
  version: r.version as number,
  createdAt: r.created_at as number,
});
