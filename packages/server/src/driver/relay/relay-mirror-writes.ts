// The mirror's writes from upstream answers: made after the caller has its answer, gathered into one transaction; mirror reads wait for them.
import type { Store } from '../../storage/ports.ts';
import type { RelayMirrorRepository } from '../../storage/relay-ports.ts';

type MirrorWrite = (mirror: RelayMirrorRepository) => Promise<void>;

/** How long answers gather before their copies are written together, and how many at most. */
const GATHER_MS = 50;
const GATHER_MAX = 500;

/**
 * Writing the mirror inside the call cost the relay's hop a commit per send, and on a virtual machine every commit is
 * several costly write system calls; the answer does not depend on it. Copies gather for up to GATHER_MS and go in
 * one transaction; a read of the mirror writes what is gathered first, so it never misses a copy. A crash before the
 * write loses only answers' copies: each message's own 1010 from the upstream fills its archive row anyway.
 */
export class MirrorWrites {
  #batch: MirrorWrite[] = [];
  #written: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store, private readonly warn: (details: object, message: string) => void) {}

  add(write: MirrorWrite): void {
    this.#batch.push(write);
    if (this.#batch.length >= GATHER_MAX) void this.settled();
    else this.#timer ??= setTimeout(() => void this.settled(), GATHER_MS);
  }

  /** Writes what has gathered now; resolves once every write added so far is in the store. */
  settled(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length === 0) return this.#written;
    this.#written = this.#written
      .then(() => this.store.transaction(async (tx) => {
        // One answer's bad shape must not cost the others their rows.
        for (const write of batch) await write(tx.relay.mirror).catch((err: unknown) => this.warn({ err }, 'relay mirror write failed'));
      }))
      .catch((err: unknown) => this.warn({ err }, 'relay mirror writes failed'));
    return this.#written;
  }
}
