// Archived messages and registered emojis from SQL rows, for every SQL store (the same columns on either engine).
import type { SandboxEmoji, SandboxMessage } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const messageFromRow = (r: Row): SandboxMessage => ({
  appId: r.app_id as string,
  seq: r.seq as number,
  msgId: r.msg_id as string,
  localId: r.local_id as number,
  clientMsgId: r.client_msg_id as number,
  session: r.session as string,
  fromWxid: r.from_wxid as string,
  toUsername: r.to_username as string,
  chatroom: r.chatroom as string,
  msgType: r.msg_type as number,
  appType: r.app_type as number,
  content: r.content as string,
  source: r.source as string,
  pushDesc: r.push_desc as string,
  refersTo: r.refers_to as string,
  createdAt: r.created_at as number,
  revokedAt: (r.revoked_at as number | null) ?? null,
});

export const emojiFromRow = (r: Row): SandboxEmoji => ({
  appId: r.app_id as string,
  md5: r.md5 as string,
  size: r.size as number,
  cdnUrl: r.cdn_url as string,
  aesKey: r.aes_key as string,
  externUrl: r.extern_url as string,
  createdAt: r.created_at as number,
});
