// WebSocket callbacks at /ws: the vendor's auth → callback → ack protocol, plus resume by last_sn and per-consumer cursors.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { ApiError } from '@wxgate/contract';
import { EventFollower } from '../delivery/event-follower.ts';
import type { Services } from '../handlers/handler.ts';
import type { EventRecord } from '../storage/ports.ts';
import { isUuid } from './validation.ts';

/** Unacknowledged callbacks a connection may have at once; sending pauses beyond it. */
const ACK_WINDOW = 500;
const AUTH_TIMEOUT_MS = 10_000;
const CURSOR_SAVE_MS = 200;

interface AuthMessage {
  type: 'auth';
  app_key?: unknown;
  app_secret?: unknown;
  guid?: unknown;
  last_sn?: unknown;
  consumer?: unknown;
}

/** One authenticated connection: sends callbacks in sn order, tracks acks, advances the consumer's cursor. */
class Consumer {
  readonly #unacked = new Map<string, number>();
  readonly #sentOrder: number[] = [];
  readonly #acked = new Set<number>();
  readonly #waiters: Array<() => void> = [];
  #ackedSn: number;
  #saveTimer: NodeJS.Timeout | undefined;
  readonly follower: EventFollower;

  constructor(
    private readonly socket: WebSocket,
    private readonly services: Services,
    private readonly guid: string,
    private readonly name: string,
    from: number,
    onError: (err: unknown) => void,
  ) {
    this.#ackedSn = from;
    this.follower = new EventFollower(services.events, guid, from, (event) => this.#send(event), onError);
  }

  async #send(event: EventRecord): Promise<void> {
    while (this.#unacked.size >= ACK_WINDOW && this.socket.readyState === this.socket.OPEN) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.#unacked.set(event.id, event.sn);
    this.#sentOrder.push(event.sn);
    this.socket.send(JSON.stringify({
      type: 'callback',
      event_id: event.id,
      sn: event.sn,
      event: { guid: event.guid, notify_type: event.notifyType, data: event.data },
    }));
  }

  /** success:false leaves the event unacknowledged: it is sent again when the consumer reconnects. */
  ack(eventId: unknown, success: unknown): void {
    if (typeof eventId !== 'string' || success === false) return;
    const sn = this.#unacked.get(eventId);
    if (sn === undefined) return;
    this.#unacked.delete(eventId);
    this.#acked.add(sn);
    while (this.#sentOrder.length && this.#acked.has(this.#sentOrder[0]!)) {
      const done = this.#sentOrder.shift()!;
      this.#acked.delete(done);
      this.#ackedSn = done;
    }
    this.#waiters.shift()?.();
    this.#saveTimer ??= setTimeout(() => void this.save(), CURSOR_SAVE_MS);
  }

  /** Persists how far this consumer acknowledged; the next connection without last_sn resumes after it. */
  async save(): Promise<void> {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    // Nothing unacked: everything the follower read was acknowledged (filtered sns in between included).
    const upTo = this.#unacked.size === 0 ? Math.max(this.#ackedSn, this.follower.cursor) : this.#ackedSn;
    await this.services.events.saveCursor(this.guid, this.name, upTo);
  }

  close(): void {
    this.follower.stop();
    for (const wake of this.#waiters.splice(0)) wake();
    // At shutdown the store may close first; the cursor then simply stays where it was last saved.
    this.save().catch(() => undefined);
  }
}

export function registerWebSocket(app: FastifyInstance, services: Services): void {
  app.register(async (scope) => {
    await scope.register(websocket, { options: { maxPayload: 64 * 1024 } });
    scope.get('/ws', { websocket: true }, (socket, request) => {
      let consumer: Consumer | undefined;
      let authenticating = false;
      const fail = (message: string) => {
        socket.send(JSON.stringify({ type: 'error', message }));
        socket.close(1008, message.slice(0, 120));
      };
      const authTimer = setTimeout(() => fail('authenticate within 10 s: {"type":"auth","app_key","app_secret","guid"}'), AUTH_TIMEOUT_MS);

      const authenticate = async (msg: AuthMessage) => {
        if (typeof msg.app_key !== 'string' || typeof msg.app_secret !== 'string') throw new ApiError('MISSING_CREDENTIALS');
        const appRecord = await services.apps.authenticate(msg.app_key, msg.app_secret);
        if (!isUuid(msg.guid)) throw new ApiError('UNKNOWN_INSTANCE');
        const instance = await services.instances.require(appRecord, msg.guid);
        const name = typeof msg.consumer === 'string' && msg.consumer.length <= 64 ? msg.consumer : 'default';
        const lastSn = await services.events.lastSn(instance.guid);
        const from = Number.isInteger(msg.last_sn) && (msg.last_sn as number) >= 0
          ? (msg.last_sn as number)
          : (await services.events.cursor(instance.guid, name)) ?? lastSn;
        consumer = new Consumer(socket, services, instance.guid, name, from, (err) => request.log.error({ err }, 'WebSocket stream failed'));
        clearTimeout(authTimer);
        socket.send(JSON.stringify({ type: 'auth_success', guid: instance.guid, consumer: name, resume_from: from, last_sn: lastSn }));
        consumer.follower.start();
      };

      socket.on('message', (raw) => {
        let msg: { type?: unknown; event_id?: unknown; success?: unknown };
        try {
          msg = JSON.parse(String(raw)) as typeof msg;
        } catch {
          socket.send(JSON.stringify({ type: 'error', message: 'messages are JSON objects' }));
          return;
        }
        if (!consumer) {
          if (msg.type !== 'auth') return fail('authenticate first: {"type":"auth","app_key","app_secret","guid"}');
          if (authenticating) return;
          authenticating = true;
          authenticate(msg as AuthMessage).catch((err: unknown) => {
            authenticating = false;
            fail(err instanceof ApiError ? err.message : 'authentication failed');
          });
          return;
        }
        if (msg.type === 'ack') consumer.ack(msg.event_id, msg.success);
        else if (msg.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      });
      socket.on('close', () => {
        clearTimeout(authTimer);
        consumer?.close();
      });
    });
  });
}
