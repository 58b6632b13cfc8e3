// Callbacks from the upstream provider: authenticated by the per-instance token in the path, deduplicated, mirrored and
// published to our outbox in ONE transaction — answered 2xx only after it committed, so nothing acknowledged is lost.
import { createHash } from 'node:crypto';
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { RelayMapping, Store, Transaction } from '../../storage/ports.ts';
import type { DriverEvent, DriverEventSink } from '../driver.ts';
import { mirroredMessage, mirrorEvents } from './relay-mirror.ts';

/** How long a webhook-id keeps marking a repeat as a duplicate (a message's msg_id does as long as its archive row). */
export const DEDUP_RETENTION_MS = 7 * 86_400_000;
/** Without an id, an identical payload counts as a repeat only this long (the same change may legitimately recur). */
export const PAYLOAD_DEDUP_WINDOW_MS = 10 * 60_000;

export interface InboundOutcome {
  /** HTTP status for the upstream: 200 taken in (or a duplicate), 4xx never retry-worthy, 503 try again later. */
  readonly status: 200 | 400 | 404 | 503;
  readonly accepted: number;
  readonly duplicates: number;
  readonly message: string;
}

export interface InboundDeps {
  readonly store: Store;
  readonly sink: DriverEventSink;
  readonly now: () => number;
  readonly mappingByToken: (token: string) => Promise<RelayMapping | undefined>;
  /** A login callback without the account's wxid: the driver asks the upstream who logged in (after the commit). */
  readonly loginWithoutWxid: (guid: string) => void;
  /** Called after each commit that took in events for `guid` (the login sync uses it to spot races). */
  readonly tookIn: (guid: string) => void;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class NotReady extends Error {}

/** The wxid a login callback names, in any of the shapes seen (wxgate: wxid; others: userName, user_name, …). */
export function loginWxidOf(data: unknown): string | undefined {
  if (!isObject(data)) return undefined;
  for (const key of ['wxid', 'login_wxid', 'user_name', 'username', 'userName']) {
    const v = data[key];
    const s = typeof v === 'string' ? v : isObject(v) && typeof v.string === 'string' ? v.string : '';
    if (s) return s;
  }
  return undefined;
}

/** Splits a 1011 batch into its 1010s, so dedup, filters, the archive and our own batching work per message. */
export function normalizeNotice(notifyType: number, data: unknown): DriverEvent[] {
  if (notifyType === NOTIFY_TYPES.BatchNewMsg && Array.isArray(data)) return data.map((m) => ({ notifyType: NOTIFY_TYPES.NewMsg, data: m }));
  return [{ notifyType, data }];
}

/** A message's dedup key (its msg_id), or null for events that carry none. */
export function messageKey(event: DriverEvent): string | null {
  if (event.notifyType !== NOTIFY_TYPES.NewMsg || !isObject(event.data)) return null;
  const id = event.data.msg_id;
  const text = typeof id === 'string' ? id : typeof id === 'number' ? String(id) : '';
  return text && text !== '0' ? `msg:${text}` : null;
}

export function payloadKey(event: DriverEvent): string {
  return 'sha:' + createHash('sha256').update(`${event.notifyType}\n${JSON.stringify(event.data ?? null)}`).digest('base64url');
}

export class RelayInbound {
  constructor(private readonly deps: InboundDeps) {}

  /**
   * Takes in one upstream callback. `webhookId` is the upstream's delivery id when it sends one (a wxgate upstream
   * does), the best dedup key there is; otherwise messages dedup by msg_id and other events by payload.
   */
  async accept(token: string, body: unknown, webhookId?: string): Promise<InboundOutcome> {
    const mapping = token ? await this.deps.mappingByToken(token) : undefined;
    if (!mapping) return { status: 404, accepted: 0, duplicates: 0, message: 'unknown notify token' };
    if (!isObject(body) || typeof body.notify_type !== 'number' || !Number.isInteger(body.notify_type)) {
      return { status: 400, accepted: 0, duplicates: 0, message: 'expected {"guid","notify_type":<int>,"data"}' };
    }
    if (body.guid !== undefined && String(body.guid).toLowerCase() !== mapping.upstreamGuid.toLowerCase()) {
      return { status: 400, accepted: 0, duplicates: 0, message: 'guid does not match the instance this notify_url belongs to' };
    }
    const events = normalizeNotice(body.notify_type, body.data ?? null);
    const { guid } = mapping;
    let needsWho = false;
    try {
      const result = await this.deps.store.transaction(async (tx) => {
        const instance = await tx.instances.get(guid);
        // The mapping is written just before the instance (create_client); a callback in between is retried later.
        if (!instance) throw new NotReady();
        const now = this.deps.now();
        // Messages dedup by msg_id whatever the delivery id (a wxgate upstream's replayed batches get new ids); the
        // delivery id is recorded only when something in the delivery has no msg_id of its own.
        if (webhookId && !events.every((e) => messageKey(e) !== null)) {
          const key = `wid:${webhookId}`;
          if ((await tx.relay.dedup.seenAt(guid, key)) !== undefined) return { accepted: 0, duplicates: events.length };
          await tx.relay.dedup.remember(guid, key, now);
        }
        const fresh: DriverEvent[] = [];
        let ownWxid = instance.loginWxid;
        for (const event of events) {
          // A message's own archive row is its dedup record (one write instead of two); other events keep keys.
          const message = messageKey(event) === null ? undefined : mirroredMessage(guid, ownWxid, event);
          const repeat = message ? !(await tx.relay.mirror.takeInMessage(message)) : await this.#isRepeat(tx, guid, event, webhookId === undefined, now);
          if (repeat) continue;
          fresh.push(event);
          const change = loginChange(event);
          if (change === undefined) continue;
          if (change === 'unknown') {
            needsWho = true;
            continue;
          }
          if (change !== ownWxid) await this.deps.sink.loginChanged(guid, change, tx);
          ownWxid = change;
        }
        await mirrorEvents(tx.relay.mirror, guid, ownWxid, fresh.filter((e) => messageKey(e) === null), now);
        await this.deps.sink.emit(guid, fresh, tx);
        return { accepted: fresh.length, duplicates: events.length - fresh.length };
        // Dedup reads then writes: two deliveries of one notice at once must not both find it new.
      }, { serializeOn: `relay-inbound:${guid}` });
      this.deps.tookIn(guid);
      if (needsWho) this.deps.loginWithoutWxid(guid);
      return { status: 200, ...result, message: 'ok' };
    } catch (err) {
      if (err instanceof NotReady) return { status: 503, accepted: 0, duplicates: 0, message: 'instance not ready yet; retry' };
      throw err;
    }
  }

  /** Whether an event without a msg_id was taken in before: by the delivery id, else (without one) by its payload. */
  async #isRepeat(tx: Transaction, guid: string, event: DriverEvent, byPayload: boolean, now: number): Promise<boolean> {
    if (!byPayload) return false;
    const key = payloadKey(event);
    const seen = await tx.relay.dedup.seenAt(guid, key);
    await tx.relay.dedup.remember(guid, key, now);
    return seen !== undefined && now - seen < PAYLOAD_DEDUP_WINDOW_MS;
  }
}

/** The login state an event moves to: a wxid, null (logged out), 'unknown' (logged in, wxid not said), or undefined. */
function loginChange(event: DriverEvent): string | null | 'unknown' | undefined {
  switch (event.notifyType) {
    case NOTIFY_TYPES.UserLogin:
      return loginWxidOf(event.data) ?? 'unknown';
    case NOTIFY_TYPES.UserLogout:
    case NOTIFY_TYPES.SessionTimeout:
      return null;
    default:
      return undefined;
  }
}
