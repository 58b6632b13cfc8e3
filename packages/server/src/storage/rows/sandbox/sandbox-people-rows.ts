// Sandbox people from SQL rows, for every SQL store (the same columns; flags are 0/1, times unix ms numbers).
import type { SandboxPerson, SandboxPersonKey } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const personFromRow = (r: Row): SandboxPerson => ({
  appId: r.app_id as string,
  wxid: r.wxid as string,
  alias: r.alias as string,
  nickname: r.nickname as string,
  sex: r.sex as number,
  signature: r.signature as string,
  country: r.country as string,
  province: r.province as string,
  city: r.city as string,
  phone: r.phone as string,
  qq: r.qq as string,
  bigHeadImgUrl: r.big_head_img_url as string,
  smallHeadImgUrl: r.small_head_img_url as string,
  needsVerification: r.needs_verification === 1,
  kind: r.kind as SandboxPerson['kind'],
  createdAt: r.created_at as number,
});

/** Column names by lookup key; a fixed map, so no caller text reaches the SQL. */
export const PERSON_KEY_COLUMNS: Record<SandboxPersonKey, string> = { wxid: 'wxid', alias: 'alias', phone: 'phone', qq: 'qq' };
