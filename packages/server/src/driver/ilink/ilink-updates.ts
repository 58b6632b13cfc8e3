// An instance's long-poll loop on getupdates: each answer's media fetched into the instance's CDN, then the answer
// published with its cursor (ilink-inbound.ts); failures retried with backoff, and ret -14 ending the link (1004).
import type { IlinkLinkRecord } from '../../storage/ports.ts';
import { DEFAULT_LONG_POLL_MS, IlinkSessionExpired, type IlinkUpdates, type IlinkWeixinMessage } from './ilink-client.ts';
import { mediaOf, messageIdOf, publishUpdates } from './ilink-inbound.ts';
import { describeError, endLink, pause, type IlinkDeps } from './ilink-link.ts';
import { MEDIA_ATTEMPTS, storeIncomingMedia, unavailableContent, type IncomingContent } from './ilink-media-in.ts';

export class IlinkUpdatesLoop {
  readonly #abort = new AbortController();
  readonly #done: Promise<void>;
  /**
   * Media already stored for messages not yet published (a failed poll is asked again with the same cursor and answers
   * them again: what was stored is not fetched twice), and how often each could not be fetched. Emptied by a publish.
   */
  readonly #stored = new Map<string, IncomingContent>();
  readonly #failures = new Map<string, number>();

  constructor(private readonly guid: string, private readonly appId: string, private readonly deps: IlinkDeps) {
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
          const media = await this.#fetchMedia(link, updates);
          await publishUpdates(deps.store, deps.sink, link, updates, deps.now(), media);
          this.#stored.clear();
          this.#failures.clear();
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

  /**
   * The 1010 fields of every media message of an answer, stored in the instance's CDN before the transaction that
   * publishes them. A fetch that fails fails the poll (it is asked again, nothing is published), until the same item
   * failed MEDIA_ATTEMPTS times: then its message is published as WeChat's summary text, and the account moves on.
   */
  async #fetchMedia(link: IlinkLinkRecord, updates: IlinkUpdates): Promise<Map<IlinkWeixinMessage, IncomingContent>> {
    const contents = new Map<IlinkWeixinMessage, IncomingContent>();
    let failed: unknown;
    for (const m of updates.msgs) {
      const item = mediaOf(m, link.ilinkUserId);
      if (!item) continue;
      const key = `${messageIdOf(m)}/${m.seq ?? ''}`;
      let content = this.#stored.get(key);
      if (!content) {
        try {
          content = await storeIncomingMedia(this.deps, this.appId, this.guid, String(m.from_user_id), item);
          this.#stored.set(key, content);
        } catch (err) {
          const tries = (this.#failures.get(key) ?? 0) + 1;
          this.#failures.set(key, tries);
          this.deps.log?.warn({ guid: this.guid, msg_id: messageIdOf(m), attempt: tries, err: describeError(err) },
            tries >= MEDIA_ATTEMPTS ? 'ilink: a media item could not be fetched; published as unavailable' : 'ilink: a media item could not be fetched; the poll is retried');
          if (tries < MEDIA_ATTEMPTS) {
            failed ??= err;
            continue;
          }
          content = unavailableContent(item);
        }
      }
      contents.set(m, content);
    }
    if (failed !== undefined) throw failed;
    return contents;
  }
}
