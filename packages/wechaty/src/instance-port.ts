// The narrow door the puppet uses into one wxgate instance: contract calls and the instance's event outbox, nothing else.
import type { Contract, ContractPath, RequestOf, ResponseOf } from '@wxgate/contract';

/** A contract path that acts on one instance: its request names the instance by `guid`. */
export type InstancePath = { [P in ContractPath]: Contract[P]['scope'] extends 'instance' ? P : never }[ContractPath];

/** The request of an instance path without `guid`: the port fills it in. */
export type InstanceRequest<P extends InstancePath> = Omit<RequestOf<Contract[P]>, 'guid'>;

/** One event of the instance's outbox, as every other consumer (webhook, /ws, SSE) sees it. */
export interface InstanceEvent {
  readonly sn: number;
  readonly notifyType: number;
  readonly data: unknown;
}

/** What handing an event to the bot answers: `received` settles true once the bot is known to have it, else false. */
export interface Delivery {
  readonly received: Promise<boolean>;
}

/** A running follow of the outbox; `stop` ends it, keeping what was delivered. */
export interface EventFollow {
  stop(): void;
}

/**
 * What the puppet needs of wxgate, implemented by the server in-process (transport/wechaty.ts): calls go through the
 * same pipeline as HTTP calls (validation, rate limit, send pacing, handlers) as the token's app, and the outbox is
 * followed from the token's cursor, which moves past an event only once its delivery's `received` settled true — so a
 * reconnecting bot gets again what it may not have received (docs/wechaty.md says what that guarantees).
 */
export interface WxgateInstancePort {
  readonly guid: string;
  /** Throws the server's error (a catalog code and text) when the call fails. */
  call<P extends InstancePath>(path: P, request: InstanceRequest<P>): Promise<ResponseOf<Contract[P]>>;
  /** One message of the instance's archive by msg_id (the 1010 fields), or undefined: one indexed read, never a scan. */
  archivedMessage(msgId: string): Promise<Readonly<Record<string, unknown>> | undefined>;
  /** The account logged in on the instance now, or null (also while the instance is stopped). */
  loginWxid(): Promise<string | null>;
  /**
   * Hands every event after the cursor to `deliver`, in sn order, then the new ones as they commit. A follow begins
   * only after the previous one's receipts settled, so it reads the cursor they moved.
   */
  follow(deliver: (event: InstanceEvent) => Promise<Delivery>, onError: (err: unknown) => void): EventFollow;
}
