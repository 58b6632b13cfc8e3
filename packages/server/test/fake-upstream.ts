// A scriptable upstream provider for relay tests: answers each call (gateway or direct) as the test says — vendor-style
// bodies, HTTP errors, garbage, delays, dropped connections — and records what it was sent.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamCall {
  readonly transport: 'gateway' | 'direct';
  readonly path: string;
  /** The call's fields (gateway: `data`). */
  readonly data: Record<string, any>;
  readonly headers: IncomingHttpHeaders;
  /** The raw request body. */
  readonly body: string;
}

export interface Scripted {
  status?: number;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  raw?: string;
  delayMs?: number;
  /** Close the socket without answering. */
  destroy?: boolean;
}

export class FakeUpstream {
  readonly calls: UpstreamCall[] = [];
  /** Decides each answer; the default creates instances and answers success. */
  script: (call: UpstreamCall) => Scripted = (call) => defaultAnswer(call);
  #server: Server;
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, any> = {};
        try {
          parsed = JSON.parse(body) as Record<string, any>;
        } catch {
          // recorded as is
        }
        const gateway = req.url === '/open/GuidRequest';
        const call: UpstreamCall = {
          transport: gateway ? 'gateway' : 'direct',
          path: gateway ? String(parsed.path) : req.url ?? '',
          data: gateway ? (parsed.data ?? {}) : parsed,
          headers: req.headers,
          body,
        };
        this.calls.push(call);
        const answer = this.script(call);
        const respond = () => {
          if (answer.destroy) return req.socket.destroy();
          if (res.destroyed) return;
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
          res.end(answer.raw ?? JSON.stringify(answer.body ?? { errcode: 0, errmsg: 'ok', data: {} }));
        };
        if (answer.delayMs) setTimeout(respond, answer.delayMs);
        else respond();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  callsTo(path: string): UpstreamCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

let created = 0;
/** create_client answers a fresh guid (vendor style: err_code/err_msg); everything else errcode 0. */
export function defaultAnswer(call: UpstreamCall): Scripted {
  if (call.path === '/client/create_client') {
    const guid = `11111111-2222-4333-8444-${String(++created).padStart(12, '0')}`;
    return { body: { err_code: 0, err_msg: 'success', data: { guid }, hint: '170439578253689671531314' } };
  }
  if (call.path === '/client/get_client_status') return { body: { errcode: 0, errmsg: '', data: { status: 1 } } };
  return { body: { errcode: 0, errmsg: 'ok', data: {} } };
}
