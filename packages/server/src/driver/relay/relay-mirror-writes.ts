// The mirror's writes from upstream answers: made after the caller has its answer, one transaction per event-loop turn; mirror reads wait for them.
import type { Store } from '../../storage/ports.ts';
import type { RelayMirrorRepository } from '../../storage/relay-ports.ts';

type MirrorWrite = (mirror: RelayMirrorRepository) => Promise<void>;

/**
 * Writing the mirror inside the call cost the relay's hop a commit per send; the answer does not depend on it. A crash
 * before the write loses only an answer's copy: the message's own 1010 from the upstream fills the archive row anyway.
 */
export class MirrorWrites {
  #batch: MirrorWrite[] = [];
  #written: Promise<void> = Promise.resolve();
  #gathering = false;

  constructor(private readonly store: Store, private readonly warn: (details: object, message: string) => void) {}

  add(write: MirrorWrite): void {
    this.#batch.push(write);
    if (this.#gathering) return;
    this.#gathering = true;
    const previous = this.#written;
    this.#written = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => previous)
      .then(() => {
        this.#gathering = false;
        const batch = this.#batch;
        this.#batch = [];
        return this.store.transaction(async (tx) => {
          // One answer's bad shape must not cost the others their rows.
          for (const write of batch) await write(tx.relay.mirror).catch((err: unknown) => this.warn({ err }, 'relay mirror write failed'));
        });
      })
      .catch((err: unknown) => this.warn({ err }, 'relay mirror writes failed'));
  }

  /** Resolves once every write added so far is in the store. */
  settled(): Promise<void> {
    return this.#written;
  }
}
