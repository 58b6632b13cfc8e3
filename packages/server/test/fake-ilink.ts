// A scripted iLink server on a loopback socket, for what wxgate's own iLink server never answers the ilink driver
// (binded_redirect to a client that sends no local tokens, a code Tencent expires) and for failures: the QR statuses,
// getupdates and sendmessage answers, CDN objects and upload refusals are set by the test; every request is recorded.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** A CDN object: its ciphertext, or an HTTP status the CDN answers instead. */
export type FakeCdnObject = { readonly body: Buffer } | { readonly status: number };

export class FakeIlink {
  readonly #server: Server;
  /** What get_qrcode_status answers next, in order; then `wait` (after a short hold). */
  readonly qrStatuses: Json[] = [];
  /** getupdates answers, by the buf they answer ('' the first); a buf without one is held briefly and answered empty. */
  readonly updates = new Map<string, { msgs: Json[]; next: string }>();
  readonly cdn = new Map<string, FakeCdnObject>();
  /** What the CDN answers an upload instead of taking it (a status and its x-error-message). */
  uploadRefusal: { status: number; message: string } | undefined;
  /** What sendmessage answers (ret 0 and a message_id by default). */
  sendAnswer: Json = { message_id: '8000000000000000001' };
  /** Uploads the CDN took: the query and the ciphertext. */
  readonly uploads: Array<{ query: URLSearchParams; body: Buffer }> = [];
  /** Every request: method, path (without query), query and JSON body. */
  readonly requests: Array<{ path: string; query: URLSearchParams; body: Json }> = [];
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      void this.#answer(req).then(({ status, body, json, headers }) => {
        res.writeHead(status, { 'content-type': json ? 'application/json' : 'application/octet-stream', ...headers });
        res.end(json ? JSON.stringify(body) : body);
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** The bufs getupdates was asked with, in order. */
  get polledBufs(): string[] {
    return this.requests.filter((r) => r.path === '/ilink/bot/getupdates').map((r) => String(r.body.get_updates_buf ?? ''));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #answer(req: IncomingMessage): Promise<{ status: number; body: unknown; json: boolean; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: Json = {};
    try {
      body = req.method === 'POST' && url.pathname.startsWith('/ilink/bot/') ? JSON.parse(Buffer.concat(chunks).toString()) as Json : {};
    } catch {
      body = {};
    }
    this.requests.push({ path: url.pathname, query: url.searchParams, body });
    const ok = (answer: Json) => ({ status: 200, body: { ret: 0, ...answer }, json: true });
    switch (url.pathname) {
      case '/ilink/bot/get_bot_qrcode':
        return ok({ qrcode: 'fake-qrcode', qrcode_img_content: 'https://fake.example/qr?code=fake-qrcode' });
      case '/ilink/bot/get_qrcode_status': {
        const next = this.qrStatuses.shift();
        if (next) return ok(next);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return ok({ status: 'wait' });
      }
      case '/ilink/bot/getupdates': {
        const buf = String(body.get_updates_buf ?? '');
        const answer = this.updates.get(buf);
        if (answer) return ok({ msgs: answer.msgs, get_updates_buf: answer.next });
        await new Promise((resolve) => setTimeout(resolve, 50));
        return ok({ msgs: [], get_updates_buf: buf, longpolling_timeout_ms: 200 });
      }
      case '/ilink/bot/sendmessage':
        return ok(this.sendAnswer);
      case '/ilink/bot/getuploadurl':
        return ok({ upload_param: `up-${this.requests.length}` });
      case '/c2c/upload': {
        if (this.uploadRefusal) {
          return { status: this.uploadRefusal.status, body: Buffer.alloc(0), json: false, headers: { 'x-error-message': encodeURIComponent(this.uploadRefusal.message) } };
        }
        this.uploads.push({ query: url.searchParams, body: Buffer.concat(chunks) });
        return { status: 200, body: Buffer.alloc(0), json: false, headers: { 'x-encrypted-param': `dl-${this.uploads.length}` } };
      }
      case '/c2c/download': {
        const object = this.cdn.get(url.searchParams.get('encrypted_query_param') ?? '');
        if (!object) return { status: 404, body: Buffer.from('no such object'), json: false };
        return 'body' in object ? { status: 200, body: object.body, json: false } : { status: object.status, body: Buffer.alloc(0), json: false };
      }
      default:
        return { status: 404, body: { ret: -1, errmsg: 'not a path of this fake' }, json: true };
    }
  }
}
