// What the /msg/* sends answer beyond WeChat's own shape: NewSendMsg's list beside it (msg.ts, msg-cards.ts).
import { Type, type TObject } from '@sinclair/typebox';
import { UInt32 } from '../../integers.ts';
import { NewSendMsgResult } from '../../wechat.ts';

/**
 * wxgate answers every send with NewSendMsg's `count` and `list` as well (one entry, newMsgId included), beside the
 * call's own WeChat shape, so a client can read `list[0].newMsgId` whatever it sent.
 */
export function withSendList<T extends TObject>(schema: T) {
  return Type.Composite([schema, Type.Object({
    count: Type.Optional(UInt32({ description: 'wxgate: entries in list (1)', examples: [1] })),
    list: Type.Optional(Type.Array(NewSendMsgResult, { description: 'wxgate: the sent message as NewSendMsg reports it' })),
  })], { title: schema.title, description: schema.description });
}
