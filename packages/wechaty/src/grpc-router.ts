// One gRPC port for every bridged instance: each call's token picks its instance's puppet, served by wechaty-puppet-service's own implementation.
import { promisify } from 'node:util';
import { UniformResourceNameRegistry } from 'file-box';
import { grpc, puppet as grpcPuppet } from 'wechaty-grpc';
import { StreamReceipts } from './stream-receipts.ts';
import { WxgatePuppet } from './wxgate-puppet.ts';
import type { WxgateInstancePort } from './instance-port.ts';

/** What a token opens: the token's id (its cursor and cache key) and the instance it is scoped to. */
export interface TokenGrant {
  readonly tokenId: string;
  readonly port: WxgateInstancePort;
}

/** Finds the grant of a token; throws an Error whose message the bot sees (the server's catalog text) when it opens nothing. */
export type TokenResolver = (token: string) => Promise<TokenGrant>;

type Callback = (error: unknown, response?: unknown) => void;
type Call = {
  metadata: grpc.Metadata;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): boolean;
  write(chunk: unknown, callback?: (err?: unknown) => void): boolean;
};
type Implementation = Record<string, (call: Call, callback?: Callback) => unknown>;
type ImplementationFactory = (puppet: WxgatePuppet, fileBox: unknown) => Implementation;

/**
 * wechaty-puppet-service exports only its PuppetServer, which serves one puppet behind one token on a port of its own.
 * Its per-puppet implementation of the ~70 RPCs (FileBox streaming, the event stream) is what this router reuses, so it
 * is loaded from the package's own files, next to its entry point; the version is pinned (1.19.9) in package.json.
 */
async function loadServiceInternals(): Promise<{ implementation: ImplementationFactory; uuidify: (registry: UniformResourceNameRegistry) => unknown }> {
  const entry = import.meta.resolve('wechaty-puppet-service');
  const [impl, uuid] = await Promise.all([
    import(new URL('./server/puppet-implementation.js', entry).href),
    import(new URL('./file-box-helper/uuidify-file-box-local.js', entry).href),
  ]);
  return { implementation: impl.puppetImplementation, uuidify: uuid.uuidifyFileBoxLocal };
}

interface Bridged {
  readonly puppet: WxgatePuppet;
  readonly implementation: Implementation;
  /** The bot's open event stream; one at a time, as PuppetServer allows. */
  stream?: Call;
  /** What the open stream's bot is known to have received. */
  receipts?: StreamReceipts;
  /** Whether the outbox flows to the open stream (from the bot's Start on). */
  flowing: boolean;
  /** A Start answered while no stream was open: the next stream flows at once. */
  startedWithoutStream: boolean;
}

/** The token of a call: `authorization: Wechaty <token>`, as wechaty-puppet-service's client sends it. */
function tokenOf(metadata: grpc.Metadata): string | undefined {
  const value = metadata.get('authorization')[0];
  return typeof value === 'string' && value.startsWith('Wechaty ') ? value.slice('Wechaty '.length) : undefined;
}

function refuse(call: Call, callback: Callback | undefined, code: grpc.status, details: string): void {
  const error = Object.assign(new Error(details), { code, details });
  if (callback) callback(error);
  else call.emit('error', error);
}

export interface WechatyRouterOptions {
  /** host:port to listen on, e.g. 127.0.0.1:8788 (port 0 picks a free one). */
  readonly address: string;
  readonly resolve: TokenResolver;
  readonly onError?: (err: unknown) => void;
}

export class WechatyGrpcRouter {
  readonly #server = new grpc.Server();
  readonly #bridged = new Map<string, Bridged>();
  readonly #options: WechatyRouterOptions;
  #registry: UniformResourceNameRegistry | undefined;
  #port = 0;

  private constructor(options: WechatyRouterOptions) {
    this.#options = options;
  }

  /** Listens (without TLS: run it on loopback or behind a TLS proxy, docs/wechaty.md) and answers every bridged token. */
  static async start(options: WechatyRouterOptions): Promise<WechatyGrpcRouter> {
    const router = new WechatyGrpcRouter(options);
    const { implementation, uuidify } = await loadServiceInternals();
    router.#registry = new UniformResourceNameRegistry();
    await router.#registry.init();
    const fileBox = uuidify(router.#registry);
    const routed: Record<string, (call: Call, callback?: Callback) => void> = {};
    for (const method of Object.keys(grpcPuppet.PuppetService)) {
      routed[method] = (call, callback) => void router.#route(method, call, callback, (puppet) => implementation(puppet, fileBox));
    }
    router.#server.addService(grpcPuppet.PuppetService, routed as never);
    router.#port = await promisify(router.#server.bindAsync.bind(router.#server))(options.address, grpc.ServerCredentials.createInsecure());
    return router;
  }

  get port(): number {
    return this.#port;
  }

  /** A revoked token's puppet stops at once: its stream ends and its next call is refused by the resolver. */
  async drop(tokenId: string): Promise<void> {
    const bridged = this.#bridged.get(tokenId);
    if (!bridged) return;
    this.#bridged.delete(tokenId);
    bridged.puppet.pauseEvents();
    bridged.stream?.emit('error', Object.assign(new Error('token revoked'), { code: grpc.status.UNAUTHENTICATED, details: 'token revoked' }));
    await bridged.puppet.stop().catch(() => {});
  }

  /** An instance stopped or runs again: each of its puppets logs out, or back in when the account is still there. */
  async runStateChanged(guid: string, running: boolean): Promise<void> {
    for (const { puppet } of this.#bridged.values()) {
      if (puppet.guid === guid) await puppet.syncLogin(running ? 'instance restored' : 'instance stopped');
    }
  }

  async close(): Promise<void> {
    for (const tokenId of [...this.#bridged.keys()]) await this.drop(tokenId);
    this.#server.forceShutdown();
    await this.#registry?.destroy();
  }

  async #route(method: string, call: Call, callback: Callback | undefined, implement: (puppet: WxgatePuppet) => Implementation): Promise<void> {
    const token = tokenOf(call.metadata);
    if (token === undefined) return refuse(call, callback, grpc.status.UNAUTHENTICATED, 'authorization: Wechaty <token> required');
    let grant: TokenGrant;
    try {
      grant = await this.#options.resolve(token);
    } catch (err) {
      return refuse(call, callback, grpc.status.UNAUTHENTICATED, err instanceof Error ? err.message : String(err));
    }
    let bridged = this.#bridged.get(grant.tokenId);
    if (!bridged) {
      const puppet = new WxgatePuppet(grant.port);
      bridged = { puppet, implementation: implement(puppet), flowing: false, startedWithoutStream: false };
      this.#bridged.set(grant.tokenId, bridged);
    }
    if (method === 'start') return void bridged.implementation.start!(call, (err, response) => {
      callback!(err, response);
      if (!err) this.#started(bridged);
    });
    if (method === 'stop') bridged.startedWithoutStream = false;
    if (method === 'tagContactList') return void this.#tagContactList(bridged.puppet, call as never, callback!);
    if (method === 'messageSendLocation') return void this.#messageSendLocation(bridged.puppet, call as never, callback!);
    if (method !== 'event') return void bridged.implementation[method]!(call, callback);
    if (bridged.stream) return refuse(call, callback, grpc.status.ALREADY_EXISTS, 'this token already has an open event stream');
    let receipts: StreamReceipts;
    try {
      // The token rides in `authorization`, or (plain-text clients) in `:authority`, which the Metadata class reads.
      receipts = new StreamReceipts(call, (headers) =>
        headers[':path'] === grpcPuppet.PuppetService.stop.path && tokenOf(grpc.Metadata.fromHttp2Headers(headers)) === token);
    } catch (err) {
      return refuse(call, callback, grpc.status.INTERNAL, err instanceof Error ? err.message : String(err));
    }
    bridged.stream = call;
    bridged.receipts = receipts;
    bridged.flowing = false;
    bridged.implementation.event!(call);
    const ended = () => {
      if (bridged.stream !== call) return;
      bridged.stream = undefined;
      bridged.flowing = false;
      receipts.end();
      bridged.puppet.pauseEvents();
    };
    for (const event of ['cancelled', 'close', 'finish', 'error']) call.on(event, ended);
    if (bridged.startedWithoutStream) this.#started(bridged);
  }

  /**
   * puppet-service 1.19.9's implementation answers a contact's tags with an empty response it builds after filling
   * another one; this answers the tags (and, without a contact, every tag) the puppet found.
   */
  async #tagContactList(puppet: WxgatePuppet, call: { request: { getContactId(): string } }, callback: Callback): Promise<void> {
    try {
      const contactId = call.request.getContactId();
      const response = new grpcPuppet.TagContactListResponse();
      response.setIdsList(contactId ? await puppet.tagContactList(contactId) : await puppet.tagContactList());
      callback(null, response);
    } catch (err) {
      callback(Object.assign(new Error(err instanceof Error ? err.message : String(err)), { code: grpc.status.INTERNAL }));
    }
  }

  /** puppet-service 1.19.9's implementation spreads the request's protobuf object, so every location it sends is (0, 0, NONAME). */
  async #messageSendLocation(puppet: WxgatePuppet, call: { request: { getConversationId(): string; getLocation(): { toObject(): Record<string, unknown> } | undefined } }, callback: Callback): Promise<void> {
    try {
      const location = call.request.getLocation()?.toObject() ?? {};
      const id = await puppet.messageSendLocation(call.request.getConversationId(), {
        accuracy: Number(location.accuracy ?? 0), address: String(location.address ?? ''), latitude: Number(location.latitude ?? 0),
        longitude: Number(location.longitude ?? 0), name: String(location.name ?? ''),
      });
      const response = new grpcPuppet.MessageSendLocationResponse();
      if (id) response.setId(id);
      callback(null, response);
    } catch (err) {
      callback(Object.assign(new Error(err instanceof Error ? err.message : String(err)), { code: grpc.status.INTERNAL }));
    }
  }

  /**
   * The outbox flows once the bot has both its stream and its Start answered. wechaty-puppet-service's client opens
   * the stream, waits for its first message (the heartbeat) before it listens to the rest, and only then calls Start:
   * an event written before would be dropped — and a message before the login event is dropped by Wechaty anyway.
   */
  #started(bridged: Bridged): void {
    const { stream, receipts } = bridged;
    if (!stream || !receipts) {
      bridged.startedWithoutStream = true;
      return;
    }
    bridged.startedWithoutStream = false;
    if (bridged.flowing) return;
    bridged.flowing = true;
    bridged.puppet.resumeEvents(() => receipts.receipt(), (err) => this.#options.onError?.(err));
  }
}
