// One HTTP POST with its answer collected whole (up to a limit) and one time budget, on undici's dispatch API.
//
// Webhook lanes and the relay make one such call per event or per forwarded call. undici's `request()` builds a
// Readable for the answer and, with an AbortSignal, a signal and its listeners per call; the dispatch handler below
// builds neither: a microbench on this project's 2-core box measured 45–54 µs of client CPU per call against 76–129 µs.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface PostRequest {
  /** `http(s)://host[:port]`. */
  readonly origin: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  /** The whole call, from dispatch to the answer's last byte; past it the call fails with PostTimeoutError. */
  readonly timeoutMs: number;
  /** Bytes of the answer kept; past them the connection is dropped and the answer marked truncated. */
  readonly readLimit?: number;
}

export interface PostAnswer {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The answer was longer than readLimit: `body` holds its first bytes, and the connection was closed. */
  readonly truncated: boolean;
}

/** The call did not finish within its time budget (it may or may not have reached the server). */
export class PostTimeoutError extends Error {
  readonly code = 'WXGATE_POST_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
  }
}

/** undici's own timeouts (no answer head, or a stalled body), which the budget also bounds. */
const UNDICI_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function isPostTimeout(err: unknown): boolean {
  return err instanceof PostTimeoutError || UNDICI_TIMEOUTS.has((err as { code?: string } | null)?.code ?? '');
}

export function post(dispatcher: Dispatcher, request: PostRequest): Promise<PostAnswer> {
  const limit = request.readLimit ?? Infinity;
  return new Promise<PostAnswer>((resolve, reject) => {
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let read = 0;
    let settled = false;
    /** Set once the request has a connection (connecting counts against the budget too). */
    let abort: ((reason: Error) => void) | undefined;
    const timer = setTimeout(() => {
      const err = new PostTimeoutError(request.timeoutMs);
      settle(() => reject(err));
      abort?.(err);
    }, request.timeoutMs);
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const answer = (truncated: boolean): PostAnswer => ({ statusCode, headers, body: Buffer.concat(chunks, Math.min(read, limit)), truncated });
    try {
      dispatcher.dispatch({
        origin: request.origin,
        path: request.path,
        method: 'POST',
        headers: request.headers,
        body: request.body,
        // undici's defaults are 300 s; the timer above bounds the whole call in any case.
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      }, {
        onRequestStart(controller) {
          abort = (reason) => controller.abort(reason);
          // Out of time while still connecting: the request goes no further.
          if (settled) controller.abort(new PostTimeoutError(request.timeoutMs));
        },
        onResponseStart(_controller, status, responseHeaders) {
          statusCode = status;
          headers = responseHeaders;
        },
        onResponseData(controller, chunk) {
          if (settled) return;
          const room = limit - read;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          read += chunk.length;
          if (read > limit) {
            // The rest is not read: the connection goes with it rather than carrying an unread answer.
            settle(() => resolve(answer(true)));
            controller.abort(new Error('answer longer than the read limit'));
          }
        },
        onResponseEnd() {
          settle(() => resolve(answer(false)));
        },
        onResponseError(_controller, err) {
          settle(() => reject(err));
        },
      });
    } catch (err) {
      // A request undici refuses outright (a malformed header): no call was made.
      settle(() => reject(err));
    }
  });
}
