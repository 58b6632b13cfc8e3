// An unchanged Wechaty bot (WechatyBuilder + wechaty-puppet-service, set up by its own environment variables) and what it heard.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness } from './harness.ts';
import { ok } from './sandbox-helpers.ts';

export const wechaty = await import('wechaty').catch(() => undefined);
export const SKIP: string | false = wechaty ? false : 'the wechaty package is not installed (npm install brings it)';

type Wechaty = import('wechaty').Wechaty;
type Message = import('wechaty').Message;

/** A bound on every wait, so a broken bridge fails the test instead of hanging it (not a timing assertion). */
const PATIENCE_MS = 20_000;

/** Everything the bot heard, and a way to wait for the first entry that matches. */
export class Heard<T> {
  readonly items: T[] = [];
  readonly #waiters = new Set<() => void>();
  push(item: T): void {
    this.items.push(item);
    for (const wake of this.#waiters) wake();
  }
  async first(what: string, match: (item: T) => boolean = () => true): Promise<T> {
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const found = this.items.find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`the bot never heard ${what}`);
      await new Promise<void>((resolve) => {
        const wake = () => { this.#waiters.delete(wake); clearTimeout(timer); resolve(); };
        const timer = setTimeout(wake, 500);
        this.#waiters.add(wake);
      });
    }
  }
}

export interface Bot {
  readonly bot: Wechaty;
  readonly scans: Heard<{ qrcode: string; status: number }>;
  readonly logins: Heard<string>;
  readonly logouts: Heard<string>;
  readonly messages: Heard<Message>;
  readonly joins: Heard<{ room: string; invitees: string[]; inviter: string }>;
  readonly leaves: Heard<{ room: string; removees: string[]; remover: string }>;
  readonly topics: Heard<{ room: string; topic: string; old: string; changer: string }>;
  readonly friendships: Heard<import('wechaty').Friendship>;
  readonly invitations: Heard<import('wechaty').RoomInvitation>;
  readonly heartbeats: Heard<unknown>;
  readonly errors: Heard<string>;
  /** Stops the bot; a failure (a revoked token refusing the stop call) is not the test's concern. */
  stop(): Promise<void>;
  /**
   * Waits until the client's payload stores closed after a logout: wechaty-puppet-service closes them without waiting,
   * and a login right after reopens them — LevelDB then refuses the lock still held (an uncaught error in the client).
   */
  storesClosed(): Promise<void>;
}

/** Builds and starts a bot on `endpoint` with `token`, as its README says to run it: nothing but environment variables. */
export async function startBot(endpoint: string, token: string): Promise<Bot> {
  // wechaty-puppet-service's client caches payloads in LevelDB stores under ~/.wechaty/<token>/<account>, and a stopped
  // bot's store may still hold its lock as the next bot on the same token opens it: each bot gets a scratch home (read
  // when its puppet is built, inside this call).
  Object.assign(process.env, {
    HOME: mkdtempSync(join(tmpdir(), 'wxgate-wechaty-home-')),
    WECHATY_PUPPET: 'wechaty-puppet-service',
    WECHATY_PUPPET_SERVICE_ENDPOINT: endpoint,
    WECHATY_PUPPET_SERVICE_TOKEN: token,
    WECHATY_PUPPET_SERVICE_NO_TLS_INSECURE_CLIENT: 'true',
    WECHATY_LOG: 'silent',
  });
  const bot = wechaty!.WechatyBuilder.build();
  let closing: Promise<unknown> = Promise.resolve();
  const heard: Bot = {
    bot,
    scans: new Heard(), logins: new Heard(), logouts: new Heard(), messages: new Heard(), joins: new Heard(), leaves: new Heard(),
    topics: new Heard(), friendships: new Heard(), invitations: new Heard(), heartbeats: new Heard(), errors: new Heard(),
    stop: () => bot.stop().catch(() => {}),
    storesClosed: async () => { await closing; },
  };
  bot.on('scan', (qrcode, status) => heard.scans.push({ qrcode, status }));
  bot.on('login', (user) => heard.logins.push(user.id));
  bot.on('logout', (user) => heard.logouts.push(user.id));
  bot.on('message', (message) => heard.messages.push(message));
  bot.on('room-join', (room, invitees, inviter) => heard.joins.push({ room: room.id, invitees: invitees.map((c) => c.id).sort(), inviter: inviter.id }));
  bot.on('room-leave', (room, removees, remover) => heard.leaves.push({ room: room.id, removees: removees.map((c) => c.id).sort(), remover: remover?.id ?? '' }));
  bot.on('room-topic', (room, topic, old, changer) => heard.topics.push({ room: room.id, topic, old, changer: changer.id }));
  bot.on('friendship', (friendship) => heard.friendships.push(friendship));
  bot.on('room-invite', (invitation) => heard.invitations.push(invitation));
  bot.on('heartbeat', (data) => heard.heartbeats.push(data));
  bot.on('error', (err) => heard.errors.push(err instanceof Error ? err.message : String(err)));
  await bot.start();
  const store = (bot.puppet as unknown as { _payloadStore: { stop(): Promise<void> } })._payloadStore;
  const stopStore = store.stop.bind(store);
  store.stop = () => (closing = stopStore());
  return heard;
}

/** A bot logged in on `guid` as a new person `nickname` by the sandbox scan; answers the bot and the account's wxid. */
export async function loggedInBot(h: Harness, guid: string, nickname: string): Promise<{ bot: Bot; me: string; token: string; tokenId: string; endpoint: string }> {
  const created = await ok(h.direct('/wechaty/create_token', { guid }));
  const bot = await startBot(created.endpoint, created.token);
  await bot.scans.first('a scan with the QR', (s) => s.status === 2 && s.qrcode.length > 0);
  const { wxid: me } = await ok(h.direct('/sandbox/people/create', { nickname }));
  await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid: me }));
  await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
  await bot.logins.first('the login', (id) => id === me);
  return { bot, me, token: created.token, tokenId: created.token_id, endpoint: created.endpoint };
}

/** Texts of one talker's messages as the bot heard them, in order. */
export const textsFrom = (bot: Bot, talker: string): string[] =>
  bot.messages.items.filter((m) => m.talker().id === talker).map((m) => m.text());
