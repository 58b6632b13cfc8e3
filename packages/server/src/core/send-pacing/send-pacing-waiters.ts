// The callers of blocking paced sends waiting on this node of a cluster, answered from the outcome another node kept.
import { ApiError, ERRORS, type ErrorName } from '@wxgate/contract';
import type { PacedSendError, PacedSendOutcome, Store } from '../../storage/ports.ts';

/** Where a blocking caller's promise is settled. */
export interface Caller {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** A failure as the store keeps it: the catalog name, so the caller on another node gets the same error. */
export function pacedSendError(err: unknown): PacedSendError {
  const api = err instanceof ApiError ? err : new ApiError('INTERNAL');
  return { name: api.error, code: api.spec.code, message: api.message, data: api.data };
}

/** The error a kept failure stands for; a name this version does not know becomes INTERNAL with the message kept. */
export function apiErrorOf(error: PacedSendError): ApiError {
  const name = (Object.hasOwn(ERRORS, error.name) ? error.name : 'INTERNAL') as ErrorName;
  return new ApiError(name, error.message, error.data);
}

/** Settles `caller` as the outcome says. */
export function settle(caller: Caller, outcome: PacedSendOutcome): void {
  if (outcome.ok) caller.resolve(outcome.result);
  else caller.reject(apiErrorOf(outcome.error));
}

export class BlockingWaiters {
  readonly #waiting = new Map<string, { readonly guid: string; readonly caller: Caller }>();

  constructor(private readonly store: Store) {}

  /** The caller of `queueId`, whose record is stored: answered when the send finishes, on this node or another. */
  wait(queueId: string, guid: string): Promise<unknown> {
    return new Promise((resolve, reject) => this.#waiting.set(queueId, { guid, caller: { resolve, reject } }));
  }

  /** The caller of `queueId` if it waits on this node, now no longer waiting: the node sending it answers it directly. */
  take(queueId: string): Caller | undefined {
    const waiting = this.#waiting.get(queueId);
    this.#waiting.delete(queueId);
    return waiting?.caller;
  }

  /**
   * Answers the callers whose outcomes were kept: those named by a notice, or all of them (notices can be missed, so
   * this also runs on a timer). A failed read leaves the caller waiting for the next look.
   */
  async collect(queueIds: readonly string[] = [...this.#waiting.keys()]): Promise<void> {
    for (const queueId of queueIds) {
      if (!this.#waiting.has(queueId)) continue;
      const outcome = await this.store.sendPacing.takeOutcome(queueId).catch(() => undefined);
      const caller = outcome && this.take(queueId);
      if (caller) settle(caller, outcome!);
    }
  }

  /** Rejects the callers of `guid` (or every caller) with `err`, after `withdraw` had its say about each record. */
  async rejectAll(err: (withdrawn: boolean) => ApiError, guid?: string): Promise<void> {
    for (const [queueId, waiting] of [...this.#waiting]) {
      if (guid !== undefined && waiting.guid !== guid) continue;
      this.#waiting.delete(queueId);
      const withdrawn = await this.store.sendPacing.withdraw(queueId).catch(() => false);
      waiting.caller.reject(err(withdrawn));
    }
  }

  get size(): number {
    return this.#waiting.size;
  }
}
