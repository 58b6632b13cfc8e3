// One webhook POST: pinned to a checked address, bounded in time and in how much of the answer is read, no redirects.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BlockedUrlError, type UrlGuard } from '../core/url-guard.ts';
import { parseRetryAfter } from './retry-schedule.ts';

export interface SendResult {
  /** HTTP status, or null when no answer came. */
  readonly statusCode: number | null;
  readonly ok: boolean;
  readonly error: string | null;
  readonly durationMs: number;
  readonly responseExcerpt: string;
  readonly retryAfterMs: number | null;
}

const EXCERPT_BYTES = 1024;
// Keep-alive pools: a pooled socket was opened to a checked address, so reusing it is as safe as the first request.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });
/** Bytes of an answer read at most; the rest is discarded with the connection. */
const READ_LIMIT = 64 * 1024;

export async function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; guard: UrlGuard; now: () => number },
): Promise<SendResult> {
  const started = performance.now();
  const done = (partial: Omit<SendResult, 'durationMs' | 'ok'>): SendResult => ({
    ...partial,
    ok: partial.statusCode !== null && partial.statusCode >= 200 && partial.statusCode < 300,
    durationMs: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return done({ statusCode: null, error: 'notify_url is not a valid URL', responseExcerpt: '', retryAfterMs: null });
  }
  let pinned: { address: string; family: 4 | 6 };
  try {
    pinned = await options.guard.resolve(url);
  } catch (err) {
    const reason = err instanceof BlockedUrlError ? `blocked: ${err.message}` : `DNS: ${(err as Error).message}`;
    return done({ statusCode: null, error: reason, responseExcerpt: '', retryAfterMs: null });
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'wxgate-webhook/1', ...headers },
      // Connect to the address that was checked, whatever DNS says now.
      lookup: (_host, opts, cb) => {
        if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: pinned.address, family: pinned.family }]);
        else cb(null, pinned.address, pinned.family);
      },
      agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        if (read < READ_LIMIT) chunks.push(chunk);
        read += chunk.length;
        if (read >= READ_LIMIT) res.destroy();
      });
      const complete = () => finish(done({
        statusCode: res.statusCode ?? null,
        error: null,
        responseExcerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
        retryAfterMs: parseRetryAfter(res.headers['retry-after'], options.now()),
      }));
      res.on('end', complete);
      res.on('close', complete);
      res.on('error', complete);
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(done({ statusCode: null, error: `timeout after ${options.timeoutMs} ms`, responseExcerpt: '', retryAfterMs: null }));
    }, options.timeoutMs);
    req.on('error', (err) => finish(done({ statusCode: null, error: err.message, responseExcerpt: '', retryAfterMs: null })));
    req.end(body);
  });
}
