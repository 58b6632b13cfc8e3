// WeChat's protobuf-JSON building blocks shared by request and response schemas (camelCase, SKBuiltin wrappers).
import { Type, type TProperties } from '@sinclair/typebox';

/** SKBuiltinString: WeChat wraps most strings as `{"string": "…"}`; an empty one is `{}`. */
export const SKString = Type.Object({ string: Type.Optional(Type.String()) }, { description: 'SKBuiltinString' });

/** SKBuiltinBuffer: `{"iLen": n, "buffer": "<base64>"}`. */
export const SKBuffer = Type.Object(
  { iLen: Type.Integer(), buffer: Type.Optional(Type.String({ contentEncoding: 'base64' })) },
  { description: 'SKBuiltinBuffer' },
);

/** Every WeChat response starts with it; `ret` 0 is success. */
export const BaseResponse = Type.Object({ ret: Type.Integer(), errMsg: SKString }, { description: 'WeChat BaseResponse' });

/** A raw WeChat response: baseResponse plus the call's own fields; unknown keys pass through untouched. */
export function wechatResponse(fields: TProperties = {}, description?: string) {
  return Type.Object({ baseResponse: BaseResponse, ...fields }, description ? { description } : {});
}

/** The NewMsg (1010) callback payload, also accepted as `ChatMsgModel` by pinning endpoints. */
export const ChatMsg = Type.Object({
  from_username: Type.String({ description: 'sender wxid; the room id for group messages' }),
  to_username: Type.String(),
  chatroom_sender: Type.String({ default: '', description: 'real sender in groups, else ""' }),
  create_time: Type.Integer({ description: 'unix seconds' }),
  desc: Type.String({ default: '' }),
  msg_id: Type.String({ description: '64-bit server id as a decimal string' }),
  msg_type: Type.Integer(),
  chatroom: Type.String({ default: '' }),
  source: Type.String({ default: '' }),
  content: Type.String(),
}, { title: 'ChatMsgModel', description: 'a message as delivered in a 1010 callback' });

/** `refer_msg` of send_refer_msg: becomes `<refermsg>` (msg_id ↔ svrid). */
export const ReferMsg = Type.Object({
  msg_type: Type.Integer(),
  msg_id: Type.String({ description: 'newMsgId of the quoted message (svrid)' }),
  from_username: Type.String(),
  from_nickname: Type.String({ default: '' }),
  source: Type.String({ default: '' }),
  content: Type.String({ default: '' }),
}, { title: 'ReferMsgModel', description: 'the quoted message' });

/** `base_request` of the private-CDN endpoints, obtained from /cdn/get_cdn_info. */
export const CdnBaseRequest = Type.Object({
  cdn_info: Type.String(),
  client_version: Type.Integer(),
  device_type: Type.String(),
  username: Type.String(),
}, { title: 'CdnBaseRequest', description: 'from /cdn/get_cdn_info (refreshes every 3 hours)' });
