// The HTTP client towards one upstream provider: undici keep-alive pool, one time budget per call, retries only where
// the call is idempotent (or provably never reached the upstream), and every failure turned into a catalog error.
import { ApiError, ERROR_CODE_HEADER, type ResponseKind } from '@wxgate/contract';
import { Pool } from 'undici';
import { isPostTimeout, post } from '../../http/post.ts';
import { buildUpstreamRequest, scrubSecrets, translateUpstreamAnswer, type UpstreamTarget } from './upstream-envelope.ts';

/**
 * Calls that only read (or whose repetition changes nothing): safe to send again after a failure that may have reached
 * the upstream. get_login_qrcode is not among them: each call issues a new code.
 */
const IDEMPOTENT_ACTION = /^(get_(?!login_qrcode)|check_|search_|init_|batch_get_|resolve_|download|cdn_download|sns_timeline$|sns_userpage$|sns_object_detail$|mp_get_a8key$|get_a8key$)/;

export function isIdempotent(path: string): boolean {
  const action = path.slice(path.lastIndexOf('/') + 1);
  return IDEMPOTENT_ACTION.test(action);
}

/** Connection errors after which the request certainly never reached the upstream. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Connection errors where the upstream may or may not have seen the request. */
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export interface UpstreamCallOptions {
  /** The response kind of the contract path (raw WeChat object or wrapper payload). */
  readonly kind: ResponseKind;
  /** Overrides the idempotency derived from the path. */
  readonly idempotent?: boolean;
}

export interface UpstreamClientOptions {
  /** Waits before the 2nd, 3rd, … attempt of a retryable call (ms); the call's time budget still bounds them. */
  readonly retryDelaysMs?: readonly number[];
  /** Keep-alive connections to the upstream. */
  readonly connections?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** What went wrong on one attempt, before it is turned into the caller's error. */
interface AttemptFailure {
  readonly error: ApiError;
  /** Safe to try again: the upstream never saw it, or seeing it twice does no harm. */
  readonly retryable: (idempotent: boolean) => boolean;
}

export class UpstreamClient {
  readonly #pool: Pool;
  readonly #origin: string;
  readonly #retryDelays: readonly number[];
  readonly #secrets: readonly (string | undefined)[];

  constructor(readonly target: UpstreamTarget, options: UpstreamClientOptions = {}) {
    this.#origin = new URL(target.baseUrl).origin;
    this.#pool = new Pool(this.#origin, { connections: options.connections ?? 128, keepAliveTimeout: 30_000, pipelining: 1 });
    this.#retryDelays = options.retryDelaysMs ?? [50, 250];
    this.#secrets = [target.appKey, target.appSecret];
  }

  /**
   * Calls `path` with `fields` (the upstream guid already in place) and answers the translated data, or throws an
   * ApiError from the catalog: UPSTREAM_TIMEOUT, UPSTREAM_UNREACHABLE, UPSTREAM_FAILED, UPSTREAM_REFUSED, NOT_SUPPORTED,
   * or the upstream's own catalog error when the upstream is a wxgate.
   */
  async call(path: string, fields: Record<string, unknown>, options: UpstreamCallOptions): Promise<unknown> {
    const idempotent = options.idempotent ?? isIdempotent(path);
    const request = buildUpstreamRequest(this.target, path, fields);
    const deadline = Date.now() + this.target.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(request, path, options.kind, deadline);
      if (!('error' in outcome)) return outcome.data;
      const delay = this.#retryDelays[attempt];
      if (delay === undefined || !outcome.retryable(idempotent) || Date.now() + delay >= deadline) throw outcome.error;
      await sleep(delay);
    }
  }

  async #attempt(request: ReturnType<typeof buildUpstreamRequest>, path: string, kind: ResponseKind, deadline: number): Promise<{ data: unknown } | AttemptFailure> {
    const budget = deadline - Date.now();
    if (budget <= 0) return this.#timeout(path);
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    let catalogCode: string | undefined;
    try {
      const res = await post(this.#pool, { origin: this.#origin, path: request.path, body: request.body, headers: request.headers, timeoutMs: budget });
      status = res.statusCode;
      const header = res.headers['retry-after'];
      retryAfter = Array.isArray(header) ? header[0] : header;
      const code = res.headers[ERROR_CODE_HEADER];
      catalogCode = Array.isArray(code) ? code[0] : code;
      text = res.body.toString('utf8');
      if (Date.now() > deadline) return this.#timeout(path);
    } catch (err) {
      const code = errorCode(err);
      if (isPostTimeout(err) || Date.now() >= deadline) return this.#timeout(path);
      if (NEVER_SENT.has(code)) {
        return {
          error: new ApiError('UPSTREAM_UNREACHABLE', `the upstream provider could not be reached (${code}); ${path} did not run there, retry later`, { reason: code }),
          retryable: () => true,
        };
      }
      const lost = CONNECTION_LOST.has(code);
      return {
        error: new ApiError('UPSTREAM_FAILED', `the connection to the upstream provider broke during ${path} (${code || 'unknown error'}); it may or may not have run there`, { reason: code || 'unknown' }),
        retryable: (idempotent) => idempotent && lost,
      };
    }
    // An upstream that echoes what it was sent (error texts often do) must not echo our credentials to a tenant.
    text = scrubSecrets(text, this.#secrets);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const translated = translateUpstreamAnswer({ status, body, kind, path, ...(retryAfter ? { retryAfter } : {}), ...(catalogCode ? { catalogCode } : {}) });
    if (translated.ok) return { data: translated.data };
    const error = new ApiError(translated.error, translated.message, translated.data, translated.headers ?? {});
    // 502/503/504 from the upstream's own front: the call may have run; only idempotent calls go again.
    return { error, retryable: (idempotent) => idempotent && (status === 502 || status === 503 || status === 504) };
  }

  #timeout(path: string): AttemptFailure {
    return {
      error: new ApiError('UPSTREAM_TIMEOUT', `the upstream provider did not answer ${path} within ${this.target.timeoutMs} ms; it may or may not have run there`, { timeout_ms: this.target.timeoutMs }),
      retryable: () => false,
    };
  }

  async close(): Promise<void> {
    await this.#pool.close().catch(() => undefined);
  }
}

function errorCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NEVER_SENT.has(code) || CONNECTION_LOST.has(code))) return code;
  }
  const top = (err as { code?: unknown })?.code;
  return typeof top === 'string' ? top : '';
}
