// A webhook receiver on loopback for tests: records every request and answers as each test scripts it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: { guid: string; notify_type: number; data: any };
  readonly at: number;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** ms to wait before answering (timeouts). */
  delayMs?: number;
}

export class Receiver {
  readonly received: Received[] = [];
  /** Decides each answer; default 200. */
  answer: (req: Received, index: number) => Answer = () => ({ status: 200 });
  #server: Server;
  #waiters: Array<() => void> = [];
  url = '';

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const rec: Received = { headers: req.headers, body, json: JSON.parse(body), at: Date.now() };
        const index = this.received.push(rec) - 1;
        for (const wake of this.#waiters.splice(0)) wake();
        const a = this.answer(rec, index);
        const respond = () => {
          if (res.destroyed) return;
          res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
          res.end(a.body ?? '{"ok":true}');
        };
        if (a.delayMs) setTimeout(respond, a.delayMs);
        else respond();
      });
    });
    this.#server.keepAliveTimeout = 1000;
  }

  async start(path = '/hook'): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${path}`;
    return this;
  }

  /** Waits until `predicate` holds over what was received (checked on every arrival), failing after `timeoutMs`. */
  async until(predicate: (received: Received[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`receiver: condition not met after ${timeoutMs} ms (${this.received.length} received)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The 1010 for `guid` carrying message `msgId`, once it has arrived. */
  async newMsg(guid: string, msgId: string): Promise<Received> {
    const match = (r: Received) => r.json.guid === guid && r.json.notify_type === 1010 && r.json.data.msg_id === msgId;
    await this.until((all) => all.some(match));
    return this.received.find(match)!;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
