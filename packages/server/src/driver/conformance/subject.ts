// What a driver under the conformance suite provides (the driver, the phone on the other side, time), and the
// helpers the suite's tests share: calling an operation, expecting a catalog error, decoding a QR PNG, logging in.
import assert from 'node:assert/strict';
import { ApiError, type Contract, type ErrorName, type RequestOf, type ResponseOf } from '@wxgate/contract';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { DEFAULT_CALLBACK_OPTIONS, type InstanceRecord, type Store, type Transaction } from '../../storage/ports.ts';
import type { DriverEvent, DriverEventSink, DriverOperation, DriverPath, DriverSession, Driver } from '../driver.ts';

/** A person's profile on the network, as far as the suite sets it. */
export interface PersonProfile {
  readonly nickname?: string;
  readonly alias?: string;
  readonly phone?: string;
  readonly qq?: string;
  readonly needsVerification?: boolean;
  /** wxids this person is already friends with. */
  readonly friends?: readonly string[];
}

/** The other side of the network: what real people do on their phones (the sandbox's /sandbox/* control). */
export interface ConformancePhone {
  createPerson(profile: PersonProfile): Promise<{ wxid: string; nickname: string }>;
  /** Scans the instance's login QR code; `wxid` omitted = someone new. */
  scan(guid: string, wxid?: string): Promise<{ wxid: string; nickname: string }>;
  confirm(guid: string): Promise<void>;
  cancel(guid: string): Promise<void>;
  /** Confirms, but WeChat asks for device verification; answers the pin the phone shows. */
  confirmWithVerification(guid: string): Promise<{ pin: string }>;
  sendFriendRequest(fromWxid: string, toWxid: string, greeting: string, scene: number): Promise<void>;
  acceptFriendRequest(fromWxid: string, toWxid: string): Promise<void>;
  injectFault(guid: string, fault: 'logout' | 'heartbeat_error' | 'session_timeout' | 'sync_failed' | 'login_failed'): Promise<void>;
  /** `wxid` deletes `contactWxid` from their contacts (one-sided). */
  deleteFriend(wxid: string, contactWxid: string): Promise<void>;
  /** A person sends what the /msg endpoint `path` sends, with its fields (no guid). */
  sendMessage(fromWxid: string, path: string, body: Record<string, unknown>): Promise<{ msgId: string }>;
  /** A person sends an image, video, file or voice (`url`: a data: URL; a voice without one is a tone of `durationMs`). */
  sendMedia(fromWxid: string, toUsername: string, media: PhoneMedia): Promise<{ msgId: string }>;
  revokeMessage(wxid: string, toUsername: string, msgId: string): Promise<void>;
  /** A person's messages (one conversation with `talker`, else all one-to-one ones), oldest first; reading consumes nothing. */
  messagesOf(wxid: string, talker?: string): Promise<PhoneMessage[]>;
  /** WeChat's risk control stops `wxid` sending for `seconds` (0 lifts it). */
  restrictSending(wxid: string, seconds: number): Promise<void>;
  /** `ownerWxid` creates a room with their friends `memberWxids`; answers its id. */
  createRoom(ownerWxid: string, memberWxids: readonly string[], name?: string): Promise<string>;
  /** `wxid` accepts their pending invitation to the room. */
  joinRoom(roomId: string, wxid: string): Promise<void>;
  setRoomAdmin(roomId: string, ownerWxid: string, memberWxid: string, admin: boolean): Promise<void>;
  dissolveRoom(roomId: string, ownerWxid: string): Promise<void>;
  /** `wxid` posts to Moments: a text post, or TimelineObject XML; visible to all friends unless limited. */
  postMoment(wxid: string, post: MomentPost): Promise<string>;
  /** Answers the new comment's id. */
  commentOnMoment(wxid: string, objectId: string, content: string, replyCommentId?: string): Promise<number>;
  likeMoment(wxid: string, objectId: string, like: boolean): Promise<void>;
  /** Registers a mini-program; answers its appid. */
  createMiniProgram(name: string, pages?: readonly string[]): Promise<string>;
  /** Registers an OAuth web app with its redirect URI and allowed scopes; answers its appid. */
  createOAuthApp(name: string, redirectUri: string, scopes: readonly string[]): Promise<string>;
  /** The mini-program's server redeems a js_login code (jscode2session); each code works once. */
  redeemJsCode(appid: string, code: string): Promise<{ openid: string; unionid: string }>;
  /** The web app's server redeems an OAuth code (sns/oauth2/access_token); each code works once. */
  redeemOAuthCode(appid: string, code: string): Promise<{ openid: string; unionid: string; scope: string }>;
  /** Creates a WeCom corporation; answers its id. */
  createCorporation(name: string): Promise<string>;
  /** Creates a WeCom person of the corporation: their …@openim username and contact-card QR URL. */
  createWeComPerson(corpId: string, nickname: string): Promise<{ username: string; qrUrl: string }>;
  /** `wxid`'s phone adds the WeCom person with the ticket search_openim_contact gave it. */
  addOpenImContact(wxid: string, username: string, ticket: string): Promise<void>;
  /** A WeCom person creates an OpenIM room (…@im.chatroom) with WeChat and WeCom members; answers its id. */
  createOpenImRoom(ownerUsername: string, memberUsernames: readonly string[], name?: string): Promise<string>;
  joinOpenImRoom(roomUsername: string, username: string): Promise<void>;
  leaveOpenImRoom(roomUsername: string, username: string): Promise<void>;
}

/** What a phone sends with sendMedia. */
export interface PhoneMedia {
  readonly kind: 'image' | 'video' | 'file' | 'voice';
  readonly url?: string;
  readonly fileName?: string;
  readonly durationMs?: number;
}

/** A Moments post as a phone makes it. */
export interface MomentPost {
  readonly content?: string;
  readonly objectDesc?: string;
  readonly groupUsers?: readonly string[];
  readonly blockUsers?: readonly string[];
}

/** A message as a person's phone shows it. */
export interface PhoneMessage {
  readonly msgId: string;
  readonly from: string;
  readonly to: string;
  readonly msgType: number;
  readonly appType: number;
  readonly content: string;
  readonly revoked: boolean;
  readonly unread: boolean;
}

export interface ConformanceInstance {
  readonly guid: string;
  readonly session: DriverSession;
}

/** A fresh network with one driver; every test builds its own. */
export interface ConformanceSubject {
  readonly driver: Driver;
  readonly phone: ConformancePhone;
  /** A running instance of the suite's app, its session open. */
  newInstance(): Promise<ConformanceInstance>;
  /** A running instance of a second app (another tenant, another world). */
  newInstanceOfAnotherApp(): Promise<ConformanceInstance>;
  /** Closes and reopens an instance's session, as /client/restore_client or a restart does. */
  reopen(guid: string): Promise<DriverSession>;
  /** Callbacks the driver reported for `guid` (committed ones only), in order. */
  events(guid: string): readonly DriverEvent[];
  /** The account the driver says is logged in on `guid`. */
  loginOf(guid: string): string | null;
  /** The instance as the store has it now (what core hands the driver, e.g. for the message archive). */
  record(guid: string): Promise<InstanceRecord>;
  /** Moves the driver's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Runs an operation the driver must serve. */
export function call<P extends DriverPath>(session: DriverSession, path: P, request: Omit<RequestOf<Contract[P]>, 'guid'>): Promise<ResponseOf<Contract[P]>> {
  const operation = session.operations[path] as DriverOperation<P> | undefined;
  assert.ok(operation, `${path} is not served by this session`);
  return operation({ guid: session.guid, ...request } as RequestOf<Contract[P]>);
}

/** Awaits a failure with the catalog's `name`; returns it for further checks (WeChat's ret in data). */
export async function expectError(promise: Promise<unknown>, name: ErrorName): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError ${name}, got ${String(err)}`);
    assert.equal(err.error, name, err.message);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

/** WeChat's ret carried by a WeChat-side refusal. */
export const wechatRet = (err: ApiError): unknown => (err.data as { baseResponse?: { ret?: number } } | null)?.baseResponse?.ret;

type QrDecoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is CommonJS: depending on the loader its function is the module itself or sits on `default`.
const decode = ((jsQR as unknown as { default?: QrDecoder }).default ?? jsQR) as unknown as QrDecoder;

/** What a base64 PNG's QR code says. */
export function decodeQrPng(base64: string): string | undefined {
  const png = PNG.sync.read(Buffer.from(base64, 'base64'));
  return decode(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

export const notifyTypes = (events: readonly DriverEvent[]) => events.map((e) => e.notifyType);

/** The callbacks of `guid` since `from` (an index into its event list). */
export const eventsSince = (subject: ConformanceSubject, guid: string, from: number) => subject.events(guid).slice(from);

/** Logs a person in on the instance through the whole QR flow; answers their wxid. */
export async function logIn(subject: ConformanceSubject, instance: ConformanceInstance, wxid?: string): Promise<string> {
  await call(instance.session, '/login/get_login_qrcode', {});
  const scanner = await subject.phone.scan(instance.guid, wxid);
  await subject.phone.confirm(instance.guid);
  assert.equal(subject.loginOf(instance.guid), scanner.wxid);
  return scanner.wxid;
}

/** The 1010 payloads of a list of callbacks. */
export const newMsgs = (events: readonly DriverEvent[]) =>
  events.filter((e) => e.notifyType === 1010).map((e) => e.data as { msg_type: number; from_username: string; to_username: string; content: string });

/** An attribute of WeChat message XML (unescaped). */
export function xmlAttribute(xml: string, name: string): string | undefined {
  const raw = new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1];
  return raw?.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Builds a fresh subject (a driver with its own store and clock) for one test. */
export type Make = () => Promise<ConformanceSubject>;

/** Runs `body` against a fresh subject and always closes it. */
export async function withSubject(make: Make, body: (s: ConformanceSubject) => Promise<void>): Promise<void> {
  const subject = await make();
  try {
    await body(subject);
  } finally {
    await subject.close();
  }
}

/** The n-th running, logged-out instance record of a subject (guids are predictable so failures read well). */
export function conformanceInstance(n: number, appId: string, now: number): InstanceRecord {
  return {
    guid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    appId, runState: 'running', loginWxid: null, clientType: 241, notifyUrl: '', bridge: '', proxy: '', isLongProxy: false,
    isLoginProxy: false, syncHistoryMsg: true, autoStart: true, payload: '', callbackOptions: DEFAULT_CALLBACK_OPTIONS,
    createdAt: now, updatedAt: now,
  };
}

/**
 * What core does with a driver's reports, minus delivery: records the events that committed, in order, and persists
 * each login so the driver's world can see it. The subject's `events` and `loginOf` read what it recorded.
 */
export function recordingSink(store: Store, now: () => number) {
  const events = new Map<string, DriverEvent[]>();
  const logins = new Map<string, string | null>();
  const afterCommit = (tx: Transaction | undefined, fn: () => void) => (tx ? tx.afterCommit(fn) : fn());
  const sink: DriverEventSink = {
    emit: (guid, batch, tx) => sink.emitMany([{ guid, events: batch }], tx),
    async emitMany(batches, tx) {
      afterCommit(tx, () => {
        for (const { guid, events: batch } of batches) events.set(guid, [...(events.get(guid) ?? []), ...batch]);
      });
    },
    async loginChanged(guid, wxid, tx) {
      await (tx ?? store).instances.update(guid, { loginWxid: wxid }, now());
      afterCommit(tx, () => logins.set(guid, wxid));
    },
  };
  return {
    sink,
    events: (guid: string): readonly DriverEvent[] => events.get(guid) ?? [],
    loginOf: (guid: string): string | null => logins.get(guid) ?? null,
  };
}
