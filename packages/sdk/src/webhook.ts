// Standard Webhooks verification of wxgate's callbacks, signatures by the `standardwebhooks` library (pure JS: Node 20+, browsers, edge runtimes).
import { Webhook } from 'standardwebhooks';
import type { CallbackEvent } from './endpoints.generated.ts';

/** The per-notify_type union (generated from the contract): 1010 `data` is a message, 1200 a contact, and so on. */
export type { CallbackEvent };

/** A callback body: `{guid, notify_type, data}` with `data` typed by the caller (`CallbackEvent` types it per type). */
export interface WebhookEvent<D = unknown> {
  guid: string;
  notify_type: number;
  data: D;
}

/** Fetch `Headers`, Node's `IncomingHttpHeaders` or a plain object; names are matched case-insensitively. */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyOptions {
  /** Seconds a timestamp may differ from now (either way); default 300, as Standard Webhooks. */
  toleranceSeconds?: number;
  /** Unix seconds to check the timestamp against; default the current time (tests pin it). */
  now?: number;
}

export type WebhookErrorReason = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' | 'bad_secret' | 'bad_body';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(readonly reason: WebhookErrorReason, message: string) {
    super(message);
  }
}

const SECRET_PREFIX = 'whsec_';

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
}

/** `whsec_<base64>` as wxgate issues it; a secret without the prefix is taken as base64 too (as the library does). */
function signer(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch {
    throw new WebhookVerificationError('bad_secret', 'the signing secret is not whsec_<base64>; copy it from /events/get_signing_secrets');
  }
}

/** Compares without an early exit, so timing does not reveal how much of a forged signature matched. */
function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The `v1,<base64>` signature of a body, as wxgate sends it (for tests and for forwarding proxies that re-sign). */
export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string | Uint8Array): Promise<string> {
  return signer(secret).sign(id, new Date(timestampSeconds * 1000), body as string);
}

/**
 * Checks a callback's Standard Webhooks signature and timestamp and returns the parsed event; throws
 * WebhookVerificationError otherwise. Pass the body exactly as received (the raw string or bytes, not re-serialized
 * JSON). `secret` may list several secrets (during a rotation any one of them may match).
 */
export async function verifyWebhook(
  headers: WebhookHeaders, body: string | Uint8Array, secret: string | readonly string[], options?: VerifyOptions,
): Promise<CallbackEvent>;
/** The same, with the data type given by the caller. */
export async function verifyWebhook<D>(
  headers: WebhookHeaders, body: string | Uint8Array, secret: string | readonly string[], options?: VerifyOptions,
): Promise<WebhookEvent<D>>;
export async function verifyWebhook(
  headers: WebhookHeaders,
  body: string | Uint8Array,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): Promise<WebhookEvent<unknown>> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('missing_headers', 'webhook-id, webhook-timestamp and webhook-signature are all required');
  }
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('bad_timestamp', `webhook-timestamp is not unix seconds: ${timestamp}`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError('stale_timestamp', `webhook-timestamp ${timestamp} is more than ${tolerance} s from now (${now}): a replay, or a skewed clock`);
  }
  // The library signs; the checks above keep their own reasons and the caller's clock and tolerance, which its
  // verify() does not take.
  const at = new Date(Number(timestamp) * 1000);
  const offered = signatures.split(' ').filter((entry) => entry.startsWith('v1,'));
  let matched = false;
  for (const s of typeof secret === 'string' ? [secret] : secret) {
    const expected = signer(s).sign(id, at, body as string);
    for (const candidate of offered) matched = equalConstantTime(expected, candidate) || matched;
  }
  if (!matched) throw new WebhookVerificationError('bad_signature', 'no webhook-signature matches: wrong secret, or the body was altered');
  try {
    return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) as WebhookEvent<unknown>;
  } catch {
    throw new WebhookVerificationError('bad_body', 'the signed body is not JSON');
  }
}
