// Whether the wxgate that served the console still answers: a failed request is checked against /healthz, and while
// it fails the console says "server unreachable" instead of showing the last state it read as if it were current.

type Listener = (reachable: boolean) => void;

/** How often /healthz is asked while the server does not answer. */
const PROBE_MS = 2000;
const PROBE_TIMEOUT_MS = 4000;

export class Reachability {
  #reachable = true;
  #probing = false;
  readonly #listeners = new Set<Listener>();

  readonly #baseFetch: typeof fetch;
  readonly #probeMs: number;

  /** `fetch` and `probeMs` are for tests: the real fetch and 2 s otherwise. */
  constructor(private readonly origin: string, options: { fetch?: typeof fetch; probeMs?: number } = {}) {
    this.#baseFetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.#probeMs = options.probeMs ?? PROBE_MS;
  }

  get reachable(): boolean {
    return this.#reachable;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A fetch for the SDK client and the event stream: an HTTP answer proves the server is there; a request that got
   * none (or a proxy's 502/504) makes us ask /healthz (an abort of our own, such as leaving a page, proves nothing).
   */
  readonly fetch: typeof fetch = async (input, init) => {
    try {
      const response = await this.#baseFetch(input, init);
      // A proxy in front of wxgate answers for it when it is down (bad gateway, gateway timeout).
      if (response.status === 502 || response.status === 504) this.suspect();
      else this.#set(true);
      return response;
    } catch (err) {
      const ownAbort = err instanceof DOMException && err.name === 'AbortError';
      if (!ownAbort) this.suspect();
      throw err;
    }
  };

  /** Something failed that may be the server being gone (a stream that broke off): find out now. */
  suspect(): void {
    if (this.#probing) return;
    this.#probing = true;
    void this.#probe();
  }

  async #probe(): Promise<void> {
    for (;;) {
      let up = false;
      try {
        const response = await this.#baseFetch(`${this.origin}/healthz`, { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        up = response.status < 500;
      } catch {
        up = false;
      }
      this.#set(up);
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, this.#probeMs));
    }
    this.#probing = false;
  }

  #set(reachable: boolean): void {
    if (reachable === this.#reachable) return;
    this.#reachable = reachable;
    for (const listener of this.#listeners) listener(reachable);
  }
}
