// A /ws client for tests: the vendor's WebSocket protocol over a real socket, queueing what it receives.
import { WebSocket } from 'ws';

export type WsMessage = { type: string; event_id?: string; sn?: number; event?: { guid: string; notify_type: number; data: any }; message?: string; resume_from?: number };

/** A WebSocket client that queues what it receives. */
export class WsClient {
  readonly messages: WsMessage[] = [];
  readonly ws: WebSocket;
  #waiters: Array<() => void> = [];
  closed: Promise<number>;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (raw) => {
      this.messages.push(JSON.parse(String(raw)) as WsMessage);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code) => resolve(code)));
  }
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }
  send(msg: object): void {
    this.ws.send(JSON.stringify(msg));
  }
  async until(pred: (m: WsMessage[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.messages)) {
      if (Date.now() > deadline) throw new Error(`ws: not met; got ${JSON.stringify(this.messages.slice(-3))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  callbacks(): WsMessage[] {
    return this.messages.filter((m) => m.type === 'callback');
  }
}
