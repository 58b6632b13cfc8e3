// An instance's long-poll loop on getupdates: each answer published with its cursor (ilink-inbound.ts), failures
// retried with backoff, and ret -14 ending the link (the instance is logged out, 1004).
import { DEFAULT_LONG_POLL_MS, IlinkSessionExpired } from './ilink-client.ts';
import { publishUpdates } from './ilink-inbound.ts';
import { describeError, endLink, pause, type IlinkDeps } from './ilink-link.ts';

export class IlinkUpdatesLoop {
  readonly #abort = new AbortController();
  readonly #done: Promise<void>;

  constructor(private readonly guid: string, private readonly deps: IlinkDeps) {
    this.#done = this.#run();
  }

  get running(): boolean {
    return !this.#abort.signal.aborted;
  }

  /** Ends the loop; resolves when its last call has returned (nothing is written after). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  async #run(): Promise<void> {
    const { deps, guid } = this;
    const signal = this.#abort.signal;
    let failures = 0;
    let holdMs = DEFAULT_LONG_POLL_MS;
    while (!signal.aborted) {
      try {
        const link = await deps.store.ilinkLinks.get(guid);
        if (!link) break;
        try {
          const updates = await deps.client.getUpdates(link, link.updatesBuf, holdMs, signal);
          if (signal.aborted) break;
          holdMs = updates.longpolling_timeout_ms ?? holdMs;
          await publishUpdates(deps.store, deps.sink, link, updates, deps.now());
          failures = 0;
        } catch (err) {
          if (!(err instanceof IlinkSessionExpired)) throw err;
          await endLink(deps, guid, 'the iLink bot session expired or the bot was unbound (ret -14)', link.botToken);
          break;
        }
      } catch (err) {
        if (signal.aborted) break;
        deps.log?.warn({ guid, err: describeError(err) }, 'ilink: getupdates failed; retrying');
        await pause(deps.retryDelaysMs[Math.min(failures, deps.retryDelaysMs.length - 1)] ?? 1000, signal);
        failures++;
      }
    }
    this.#abort.abort();
  }
}
