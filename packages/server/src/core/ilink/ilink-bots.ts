// The iLink bridge's bots: the tokens the QR flow (core/ilink/ilink-qr.ts) issues, stored as SHA-256 hashes and shown once,
// the context tokens and typing tickets sealed for them, and the CDN parameters of their media.
import { ApiError } from '@wxgate/contract';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IlinkBotRecord, InstanceRecord, Store } from '../../storage/ports.ts';
import type { Clock } from '../clock.ts';
import type { EventService } from '../events.ts';
import { IlinkCdnParams } from './ilink-cdn-params.ts';
import { IlinkQrFlow } from './ilink-qr.ts';
import { hashToken } from '../wechaty-tokens.ts';

export { ilinkBotId, ilinkConsumer, ILINK_QR_TTL_MS, type IlinkCredentials } from './ilink-qr.ts';

export class IlinkBots {
  /** The iLink CDN's sealed parameters. */
  readonly cdn: IlinkCdnParams;

  /** The bot QR flow that binds bots. */
  readonly qr: IlinkQrFlow;

  constructor(private readonly store: Store, clock: Clock, events: EventService, private readonly secret: Buffer) {
    this.cdn = new IlinkCdnParams(secret);
    this.qr = new IlinkQrFlow(store, clock, events, secret);
  }

  list(instance: InstanceRecord): Promise<IlinkBotRecord[]> {
    return this.store.ilinkBots.listByGuid(instance.guid);
  }

  revoke(instance: InstanceRecord, botId: string): Promise<boolean> {
    return this.store.ilinkBots.remove(instance.guid, botId);
  }

  /** The bot of a bot_token; ILINK_TOKEN_INVALID when it is unknown or revoked. */
  async resolve(token: string): Promise<IlinkBotRecord> {
    const bot = token ? await this.store.ilinkBots.findByHash(hashToken(token)) : undefined;
    if (!bot) throw new ApiError('ILINK_TOKEN_INVALID');
    return bot;
  }

  /** The bot of an id on an instance while it is bound (what a CDN parameter names), else undefined. */
  async bound(botId: string, guid: string): Promise<IlinkBotRecord | undefined> {
    return (await this.store.ilinkBots.listByGuid(guid)).find((b) => b.id === botId);
  }

  /** Still bound (not revoked meanwhile); ILINK_TOKEN_INVALID otherwise. */
  async ensure(bot: IlinkBotRecord): Promise<void> {
    if (!(await this.store.ilinkBots.findByHash(bot.tokenHash))) throw new ApiError('ILINK_TOKEN_INVALID');
  }

  /** `context_token` of a conversation (a person or a room) of a bot: the peer, sealed so only this bot can use it. */
  contextToken(bot: IlinkBotRecord, peer: string): string {
    const named = Buffer.from(peer).toString('base64url');
    return `ctx1.${named}.${this.#mac('context', bot.id, peer)}`;
  }

  /** The conversation a context_token names, or undefined when this bot was not given it. */
  peerOf(bot: IlinkBotRecord, contextToken: string): string | undefined {
    const [version, named, mac] = contextToken.split('.');
    if (version !== 'ctx1' || !named || !mac) return undefined;
    const peer = Buffer.from(named, 'base64url').toString();
    return sameText(mac, this.#mac('context', bot.id, peer)) ? peer : undefined;
  }

  /** getconfig's `typing_ticket` for a user: base64, as the protocol says; sendtyping checks it. */
  typingTicket(bot: IlinkBotRecord, user: string): string {
    return Buffer.from(this.#mac('typing', bot.id, user), 'base64url').toString('base64');
  }

  #mac(purpose: string, botId: string, subject: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\0${botId}\0${subject}`).digest().subarray(0, 16).toString('base64url');
  }
}

const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
