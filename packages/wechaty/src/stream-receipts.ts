// Tells when a bot's HTTP/2 layer has received what was written to its event stream (puppet-service has no acknowledgements).
import { constants, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';

/** The parts of a grpc-js server call this reads: its write, and (privately) the HTTP/2 stream under it. */
export interface WritableCall {
  write(chunk: unknown, callback?: (err?: unknown) => void): boolean;
}

/**
 * grpc-js 1.14 keeps a server call's HTTP/2 stream on its BaseServerInterceptingCall (`call.call.stream`, below any
 * interceptors' `nextCall`); no public API exposes it. The e2e tests fail at once if that layout moves.
 */
function http2StreamOf(call: unknown): ServerHttp2Stream {
  let node = (call as { call?: unknown }).call as { stream?: ServerHttp2Stream; nextCall?: unknown } | undefined;
  for (let depth = 0; node && depth < 8; depth++) {
    if (node.stream && typeof node.stream.session?.ping === 'function') return node.stream;
    node = node.nextCall as typeof node;
  }
  throw new Error('wxgate: the gRPC call exposes no HTTP/2 stream (has @grpc/grpc-js changed?)');
}

interface Waiter {
  /** How many writes the receipt covers. */
  readonly upTo: number;
  readonly resolve: (received: boolean) => void;
}

/**
 * A receipt for everything written to the stream so far resolves true once a PING sent after those writes completed
 * was acknowledged while the stream was still open and the bot had not asked to stop. HTTP/2 frames are read in
 * order on one connection, so the PING's ACK means the bot's HTTP/2 layer read every DATA frame before it; a write's
 * callback fires only once its frame left for the socket, so the PING cannot overtake it (nghttp2 sends PINGs ahead
 * of queued DATA). wechaty-puppet-service's client stops by destroying its stream object without cancelling the call,
 * then calling Stop: what reaches it in between is dropped, so a Stop seen before the ACK voids the receipt.
 */
export class StreamReceipts {
  readonly #stream: ServerHttp2Stream;
  readonly #session: Http2Session;
  readonly #isStop: (headers: IncomingHttpHeaders) => boolean;
  readonly #waiters: Waiter[] = [];
  #issued = 0;
  #completed = 0;
  #pinging = false;
  #ended = false;

  /** Wraps `call.write` to count the writes and their completions; `isStop` tells this bot's Stop by its request headers. */
  constructor(call: WritableCall, isStop: (headers: IncomingHttpHeaders) => boolean) {
    this.#stream = http2StreamOf(call);
    this.#session = this.#stream.session!;
    this.#isStop = isStop;
    const write = call.write.bind(call);
    call.write = (chunk, callback) => {
      this.#issued++;
      return write(chunk, (err) => {
        this.#completed++;
        if (err) this.end();
        callback?.(err);
        this.#maybePing();
      });
    };
    this.#session.on('stream', this.#onStream);
    this.#stream.once('close', () => this.end());
  }

  /** Resolves true once everything written so far is known received; false if the stream ended first. */
  receipt(): Promise<boolean> {
    if (this.#ended) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#waiters.push({ upTo: this.#issued, resolve });
      this.#maybePing();
    });
  }

  /** The stream is over: what is not yet acknowledged never will be. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#session.off('stream', this.#onStream);
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(false);
  }

  readonly #onStream = (_stream: unknown, headers: IncomingHttpHeaders) => {
    if (!this.#isStop(headers)) return;
    this.end();
    // The client has dropped its stream object without cancelling the call, and grpc-js does not finish a call whose
    // messages were never read — its connection would stay open for good (the process never exits). A reset ends it
    // on both sides; the stream's trailers would not.
    if (!this.#stream.closed) this.#stream.close(constants.NGHTTP2_CANCEL);
  };

  #maybePing(): void {
    const first = this.#waiters[0];
    if (this.#ended || this.#pinging || !first || first.upTo > this.#completed) return;
    const covered = this.#completed;
    this.#pinging = true;
    const acknowledged = (err: Error | null) => {
      // The ACK's callback runs as nghttp2 reads it; a Stop's or a reset's frame read just before it is announced on
      // the next ticks: let those land first.
      setImmediate(() => {
        this.#pinging = false;
        if (err || this.#stream.closed || this.#stream.destroyed) this.end();
        if (this.#ended) return;
        while (this.#waiters[0] && this.#waiters[0].upTo <= covered) this.#waiters.shift()!.resolve(true);
        this.#maybePing();
      });
    };
    let sent = false;
    try {
      sent = this.#session.ping(acknowledged);
    } catch {
      sent = false;
    }
    if (!sent) {
      this.#pinging = false;
      this.end();
    }
  }
}
