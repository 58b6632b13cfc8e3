// The message side of the sandbox control (/sandbox/messages/*): a person sends any non-media message exactly as a bot
// would through /msg/*, revokes it, is muted by risk control, and the archive can be read without consuming anything.
import { Type, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  ApiError, contract, invalidField, MSG_TYPES, type Contract, type Modules, type RequestOf, type ResponseOf,
} from '@wxgate/contract';
import type { NewSandboxMessage, SandboxMessage } from '../../../storage/sandbox-ports.ts';
import { MESSAGE_SENDS, revokeMessage, SEND_PATHS, sessionOf, type SendPath } from './msg.ts';
import type { World, WorldChange } from '../world.ts';

type Sandbox = Modules['sandbox'];
type Req<P extends keyof Sandbox> = RequestOf<Sandbox[P]>;
type Res<P extends keyof Sandbox> = ResponseOf<Sandbox[P]>;
type MessageView = Res<'/sandbox/messages/send'>;

// The contract's list of sends and the driver's must be the same set.
type ContractSendPath = Req<'/sandbox/messages/send'>['path'];
const sameSendPaths: [ContractSendPath, SendPath] extends [SendPath, ContractSendPath] ? true : never = true;
void sameSendPaths;

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The request schema of each send without its guid, to check `body` as the /msg endpoint itself would. */
const bodySchemas = new Map<SendPath, TObject>(SEND_PATHS.map((path) => [path, Type.Omit((contract as Contract)[path].request, ['guid'])]));

/** `body` checked against the send's own schema (defaults filled), or a 422 whose loc points into body. */
function sendBody(path: SendPath, body: unknown): Record<string, unknown> {
  const schema = bodySchemas.get(path)!;
  const filled = Value.Default(schema, Value.Clone(body)) as Record<string, unknown>;
  if (Value.Check(schema, filled)) return filled;
  const errors = new Map<string, { loc: string[]; msg: string; type: string }>();
  for (const e of Value.Errors(schema, filled)) {
    const loc = ['body', 'body', ...e.path.split('/').slice(1).filter((p) => p !== '')];
    const key = loc.join('/');
    // A missing field reads as FastAPI says it; other failures keep the first reason per field.
    if (e.message === 'Expected required property') errors.set(key, { loc, msg: 'Field required', type: 'missing' });
    else if (!errors.has(key)) errors.set(key, { loc, msg: `Input ${e.message.replace(/^Expected/, 'should be')}`, type: 'value_error' });
  }
  throw new ApiError('VALIDATION', 'Validation Error', { errors: [...errors.values()] });
}

/** A message as the control API shows it to `viewer`. */
export function messageView(m: SandboxMessage, unread = false): MessageView {
  return {
    seq: m.seq,
    msg_id: m.msgId,
    from_username: m.fromWxid,
    to_username: m.toUsername,
    chatroom: m.chatroom,
    msg_type: m.msgType,
    app_type: m.appType,
    content: m.content,
    source: m.source,
    desc: m.pushDesc,
    create_time: seconds(m.createdAt),
    revoked: m.revokedAt !== null,
    revokes_msg_id: m.refersTo,
    unread,
  };
}

/**
 * The view of a message a change sent, read back after its commit: the archive is written with the commit, so the
 * message's seq is known only then.
 */
export async function committedView(world: World, appId: string, sent: NewSandboxMessage): Promise<MessageView> {
  const archived = await world.deps.store.sandbox.messages.get(appId, sent.msgId);
  if (!archived) throw new Error(`message ${sent.msgId} was committed but is not in the archive`);
  return messageView(archived);
}

export async function sendAsPerson(change: WorldChange, req: Req<'/sandbox/messages/send'>): Promise<NewSandboxMessage> {
  const person = await change.requirePerson(req.from_wxid);
  const body = sendBody(req.path, req.body);
  return (await MESSAGE_SENDS[req.path](change, person, body as never)).message;
}

export async function revokeAsPerson(change: WorldChange, req: Req<'/sandbox/messages/revoke'>): Promise<NewSandboxMessage> {
  const person = await change.requirePerson(req.wxid);
  return revokeMessage(change, person, req.to_username, req.msg_id);
}

export async function listMessages(change: WorldChange, req: Req<'/sandbox/messages/list'>): Promise<Res<'/sandbox/messages/list'>> {
  const person = await change.requirePerson(req.wxid);
  const afterSeq = req.after_seq ?? 0;
  const limit = req.limit ?? 100;
  const { messages } = change.world;
  const page = req.talker === undefined
    ? await messages.listPrivateOf(change.appId, person.wxid, afterSeq, limit)
    : await messages.listSession(change.appId, sessionOf(person.wxid, req.talker), afterSeq, limit);
  const readMarks = new Map<string, number>();
  const views: MessageView[] = [];
  for (const m of page) {
    let mark = readMarks.get(m.session);
    if (mark === undefined) readMarks.set(m.session, (mark = await messages.readMark(change.appId, person.wxid, m.session)));
    const received = m.fromWxid !== person.wxid && m.msgType !== MSG_TYPES.SysMsg;
    views.push(messageView(m, received && m.seq > mark));
  }
  return { messages: views, next_seq: page.at(-1)?.seq ?? afterSeq };
}

export async function restrictSending(change: WorldChange, req: Req<'/sandbox/messages/restrict'>): Promise<Res<'/sandbox/messages/restrict'>> {
  const person = await change.requirePerson(req.wxid);
  if (!Number.isInteger(req.seconds)) throw invalidField('seconds', 'whole seconds');
  const until = req.seconds === 0 ? 0 : change.now + req.seconds * 1000;
  await change.world.messages.setSendRestriction(change.appId, person.wxid, until);
  return { until: seconds(until) };
}
