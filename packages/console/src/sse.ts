// Server-Sent Events over fetch: EventSource cannot send the X-App-Key/X-App-Secret headers /events/stream needs.

export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/** The text/event-stream format (WHATWG HTML §9.2), fed chunk by chunk; returns the messages each chunk completes. */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  /** The server's `retry:` advice in ms, if it gave one. */
  retryMs: number | undefined;

  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const out: SseMessage[] = [];
    let newline: number;
    while ((newline = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (this.#buffer[newline] === '\r' && newline === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + (this.#buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (this.#data.length > 0) out.push({ id: this.#id, event: this.#event || 'message', data: this.#data.join('\n') });
        this.#data = [];
        this.#event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.#data.push(value);
      else if (field === 'event') this.#event = value;
      else if (field === 'id' && !value.includes('\0')) this.#id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return out;
  }
}

export interface StreamOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Resume after this id (sent as Last-Event-ID on the first and every later connection). */
  readonly lastEventId?: string;
  readonly signal: AbortSignal;
  /** The fetch to use (one that watches whether the server answers); the global one by default. */
  readonly fetch?: typeof fetch;
  onMessage(message: SseMessage): void;
  onState(state: 'connecting' | 'open' | 'closed', detail?: string): void;
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/** Reads the stream until `signal` aborts, reconnecting (with Last-Event-ID) after drops, as EventSource would. */
export async function followStream(options: StreamOptions): Promise<void> {
  let lastId = options.lastEventId;
  let retryMs = 3000;
  while (!options.signal.aborted) {
    options.onState('connecting');
    try {
      const response = await (options.fetch ?? fetch)(options.url, {
        headers: { ...options.headers, accept: 'text/event-stream', ...(lastId !== undefined ? { 'last-event-id': lastId } : {}) },
        signal: options.signal,
        cache: 'no-store',
      });
      if (!response.ok || !response.body) {
        // Bad credentials or an unknown instance will not fix themselves by retrying.
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          options.onState('closed', `HTTP ${response.status}`);
          return;
        }
        throw new Error(`HTTP ${response.status}`);
      }
      options.onState('open');
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) {
          if (message.id !== undefined) lastId = message.id;
          options.onMessage(message);
        }
        if (parser.retryMs !== undefined) retryMs = parser.retryMs;
      }
    } catch (err) {
      if (options.signal.aborted) break;
      options.onState('connecting', err instanceof Error ? err.message : String(err));
    }
    await sleep(retryMs, options.signal);
  }
  options.onState('closed');
}
