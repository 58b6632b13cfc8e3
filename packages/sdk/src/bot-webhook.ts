// A bot's webhook receiver: a node:http-style (req, res) handler that verifies the signature and answers 2xx only once handled.
import type { StreamedEvent } from './stream.ts';
import { verifyWebhook, WebhookVerificationError, type WebhookHeaders } from './webhook.ts';

/** node:http's IncomingMessage, express's and fastify's `request.raw` fit; a `body` already read (string or bytes) is used as is. */
export interface NodeRequest extends AsyncIterable<Uint8Array | string> {
  readonly method?: string;
  readonly headers: WebhookHeaders;
  readonly body?: unknown;
}

/** node:http's ServerResponse (express's `res`, fastify's `reply.raw`). */
export interface NodeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

export interface WebhookHandlerOptions {
  /** The app's signing secret(s) (`whsec_…`); default: asked once from `/events/get_signing_secrets` (all current ones, so rotations pass). */
  readonly secret?: string | readonly string[];
  /** Seconds a timestamp may be off; default 300. */
  readonly toleranceSeconds?: number;
}

/** What the handler needs of a bot: its instance, how to fetch secrets, and one entry point for events. */
export interface WebhookBot {
  readonly guid: string;
  handle(event: StreamedEvent): Promise<void>;
  signingSecrets(): Promise<string[]>;
}

async function rawBody(req: NodeRequest): Promise<string | Uint8Array> {
  if (typeof req.body === 'string') return req.body;
  if (req.body instanceof Uint8Array) return req.body;
  if (req.body !== undefined && req.body !== null) {
    throw new WebhookVerificationError('bad_body', 'the body was parsed before the handler saw it: mount the handler before JSON body parsers (express.raw(), a string content parser in fastify)');
  }
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function headerValue(headers: WebhookHeaders, name: string): string {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? '';
  const value = (headers as Record<string, string | readonly string[] | undefined>)[name];
  return Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
}

function answer(res: NodeResponse, status: number, body: Record<string, unknown>): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/**
 * `(req, res)` for `http.createServer`, `app.post(path, handler)` (express) or `handler(request.raw, reply.raw)` after
 * `reply.hijack()` (fastify). Answers 401 to a bad signature (wxgate retries, and it shows in /events/attempts), and
 * 200 once the bot's handlers have finished, so wxgate sends the instance's next event only after this one.
 */
export function webhookHandler(bot: WebhookBot, options: WebhookHandlerOptions = {}): (req: NodeRequest, res: NodeResponse) => Promise<void> {
  let secrets: Promise<string[]> | undefined = options.secret === undefined
    ? undefined
    : Promise.resolve(typeof options.secret === 'string' ? [options.secret] : [...options.secret]);
  return async (req, res) => {
    if (req.method !== undefined && req.method !== 'POST') return answer(res, 405, { error: 'POST only' });
    let verified;
    try {
      const body = await rawBody(req);
      secrets ??= bot.signingSecrets().catch((err: unknown) => { secrets = undefined; throw err; });
      verified = await verifyWebhook(req.headers, body, await secrets, options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds });
    } catch (err) {
      if (err instanceof WebhookVerificationError) return answer(res, 401, { error: err.reason, message: err.message });
      return answer(res, 503, { error: 'unavailable', message: (err as Error).message });
    }
    // The /events/test probe (notify_type 0) has no place in the log: answered, not handled.
    if (verified.notify_type === 0) return answer(res, 200, { ok: true });
    if (verified.guid !== bot.guid) return answer(res, 200, { ok: true, ignored: 'another instance' });
    // A 1011 batch is numbered first-last; the cursor moves to its last sn.
    const sn = Number(headerValue(req.headers, 'x-wxgate-sn').split('-').pop());
    await bot.handle({ eventId: headerValue(req.headers, 'webhook-id'), sn: Number.isSafeInteger(sn) ? sn : 0, event: verified });
    answer(res, 200, { ok: true });
  };
}
