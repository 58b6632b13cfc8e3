// What one node of a cluster tells the others: records they cache that changed, events that committed (cluster/redis-peers.ts).
import type { SnRange } from '../storage/ports.ts';

/** A change another node must apply to what it caches: drop its copy and read the store again on next use. */
export type PeerNotice =
  /** An app was disabled or enabled, its response mode changed, or its secret rotated. */
  | { readonly kind: 'app'; readonly appKey: string }
  /** An instance's record changed (settings, login, run state) or it was removed. */
  | { readonly kind: 'instance'; readonly guid: string }
  /** An app's webhook signing secrets were rotated. */
  | { readonly kind: 'signing-secrets'; readonly appId: string }
  /** An instance's send pacing settings changed. */
  | { readonly kind: 'send-pacing-settings'; readonly guid: string }
  /** A paced send of an instance was queued: the node that runs the instance's queue looks again. */
  | { readonly kind: 'send-pacing-queue'; readonly guid: string }
  /** A blocking paced send finished on another node: the node whose caller waits takes its outcome from the store. */
  | { readonly kind: 'send-pacing-done'; readonly guid: string; readonly queueId: string }
  /** Events of an instance committed (or were replayed): streams and webhook lanes on every node look again. */
  | { readonly kind: 'events'; readonly guid: string; readonly replay: SnRange | null; readonly webhook: boolean };

export interface Peers {
  /** Tells every other node; resolves once sent, and never rejects (a failure is logged where the link is made). */
  announce(notice: PeerNotice): Promise<void>;
  /** `apply` runs for every notice another node announced. */
  onNotice(apply: (notice: PeerNotice) => void): void;
  /**
   * `resync` runs when notices may have been missed (the link to the other nodes came back after a break): every
   * cache drops everything, since it cannot know which of its copies went stale meanwhile.
   */
  onResync(resync: () => void): void;
}

/** One node alone: every change goes through it, so its caches are always right. */
export const NO_PEERS: Peers = {
  announce: () => Promise.resolve(),
  onNotice: () => {},
  onResync: () => {},
};
