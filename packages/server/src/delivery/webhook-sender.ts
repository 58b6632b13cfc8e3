// One webhook POST through undici: connections only to checked addresses, bounded in time and answer size, no redirects.
import type { Agent } from 'undici';
import { guardedAgent } from '../core/egress/guarded-agent.ts';
import { isPostTimeout, post } from '../http/post.ts';
import { BlockedUrlError, type UrlGuard } from '../core/egress/url-guard.ts';
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
/** Bytes of an answer read at most; the rest is discarded with the connection. */
const READ_LIMIT = 64 * 1024;

/** Keep-alive connections, each opened only after the guard approved every address the name resolved to. */
const agents = new WeakMap<UrlGuard, Agent>();
function agentFor(guard: UrlGuard): Agent {
  let agent = agents.get(guard);
  if (!agent) agents.set(guard, (agent = guardedAgent(guard, { keepAliveTimeoutMs: 30_000, connections: 64 })));
  return agent;
}

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
  const fail = (error: string) => done({ statusCode: null, error, responseExcerpt: '', retryAfterMs: null });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return fail('notify_url is not a valid URL');
  }
  // Literal addresses never reach the lookup: check them (and the scheme) here.
  const problem = options.guard.check(url);
  if (problem) return fail(`blocked: ${problem}`);
  try {
    const res = await post(agentFor(options.guard), {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'wxgate-webhook/1', ...headers },
      timeoutMs: options.timeoutMs,
      readLimit: READ_LIMIT,
    });
    const retryAfter = res.headers['retry-after'];
    return done({
      statusCode: res.statusCode,
      error: null,
      responseExcerpt: res.body.subarray(0, EXCERPT_BYTES).toString('utf8'),
      retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, options.now()),
    });
  } catch (err) {
    if (isPostTimeout(err)) return fail(`timeout after ${options.timeoutMs} ms`);
    const cause = (err as { cause?: Error }).cause ?? err;
    if (cause instanceof BlockedUrlError || (cause as { code?: string }).code === 'EBLOCKED') return fail(`blocked: ${(cause as Error).message}`);
    return fail((cause as Error).message || String(cause));
  }
}
