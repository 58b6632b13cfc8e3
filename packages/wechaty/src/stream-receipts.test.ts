// Receipts of an event stream over real HTTP/2 (node's server and client), through a relay that can hold either direction.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type ClientHttp2Session, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { createServer as createTcpServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { StreamReceipts } from './stream-receipts.ts';

/** Forwards bytes both ways; a held direction keeps what arrives until it is released. */
class HoldingRelay {
  readonly server: Server;
  toServerHeld = false;
  toClientHeld = false;
  readonly #toServer: Buffer[] = [];
  readonly #toClient: Buffer[] = [];
  #client?: Socket;
  #upstream?: Socket;

  constructor(target: number) {
    this.server = createTcpServer((client) => {
      const upstream = tcpConnect(target, '127.0.0.1');
      this.#client = client;
      this.#upstream = upstream;
      client.on('data', (chunk) => (this.toServerHeld ? this.#toServer.push(chunk) : upstream.write(chunk)));
      upstream.on('data', (chunk) => (this.toClientHeld ? this.#toClient.push(chunk) : client.write(chunk)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  release(): void {
    this.toServerHeld = false;
    this.toClientHeld = false;
    for (const chunk of this.#toServer.splice(0)) this.#upstream!.write(chunk);
    for (const chunk of this.#toClient.splice(0)) this.#client!.write(chunk);
  }
}

let http2Server: Http2Server;
let relay: HoldingRelay;
interface Opened {
  readonly stream: ServerHttp2Stream;
  /** The call the receipts wrap: writes go through it, as the puppet-service implementation makes them. */
  readonly call: { write(chunk: unknown, callback?: (err?: unknown) => void): boolean };
  readonly receipts: StreamReceipts;
}

/** The server side of each event stream opened. */
const opened: Opened[] = [];
const sessions: ClientHttp2Session[] = [];

before(async () => {
  http2Server = createServer();
  http2Server.on('stream', (stream, headers) => {
    stream.respond({ ':status': 200 });
    if (headers[':path'] !== '/event') {
      stream.end();
      return;
    }
    // The shape of a grpc-js server call: its write, and its HTTP/2 stream at call.call.stream.
    const call = { call: { stream }, write: (chunk: unknown, callback?: (err?: unknown) => void) => stream.write(chunk as string, callback) };
    opened.push({ stream, call, receipts: new StreamReceipts(call, (h) => h[':path'] === '/stop') });
  });
  http2Server.listen(0, '127.0.0.1');
  await once(http2Server, 'listening');
  relay = new HoldingRelay((http2Server.address() as AddressInfo).port);
  relay.server.listen(0, '127.0.0.1');
  await once(relay.server, 'listening');
});

after(async () => {
  for (const session of sessions) session.destroy();
  relay.server.close();
  http2Server.close();
});

/** A client session through the relay with an open event stream: what the client read, and the server's side. */
async function openEventStream() {
  const session = connect(`http://127.0.0.1:${(relay.server.address() as AddressInfo).port}`);
  sessions.push(session);
  const count = opened.length;
  const client = session.request({ ':path': '/event' });
  const read: string[] = [];
  client.on('data', (chunk: Buffer) => read.push(chunk.toString()));
  await once(client, 'response');
  assert.equal(opened.length, count + 1);
  return { session, client, read, server: opened.at(-1)! };
}

test('a receipt settles true once the client has read everything written before it', { timeout: 10_000 }, async () => {
  const { read, server } = await openEventStream();
  server.call.write('e1');
  server.call.write('e2');
  const received = await server.receipts.receipt();
  assert.equal(received, true);
  // The PING's ACK left the client after it read the DATA before the PING.
  assert.equal(read.join(''), 'e1e2');
  server.stream.close();
});

test('no receipt while the client has not answered; the stream ending settles it false', { timeout: 10_000 }, async () => {
  const { session, read, server } = await openEventStream();
  relay.toServerHeld = true;
  const pinged = once(session, 'ping');
  server.call.write('e3');
  let settled: boolean | undefined;
  const receipt = server.receipts.receipt().then((received) => (settled = received));
  // The client read the DATA and the PING; its ACK waits in the relay, so nothing settles.
  await pinged;
  assert.equal(read.join(''), 'e3');
  assert.equal(settled, undefined);
  server.stream.close();
  assert.equal(await receipt, false);
  relay.release();
});

test('the client\'s Stop read before the ACK voids the receipt and resets the event stream', { timeout: 10_000 }, async () => {
  const { session, client, server } = await openEventStream();
  let trailers = false;
  client.on('trailers', () => (trailers = true));
  // The DATA and the PING wait in the relay; the client asks to stop meanwhile (it had dropped its stream object).
  relay.toClientHeld = true;
  server.call.write('e4');
  const receipt = server.receipts.receipt();
  const stop = session.request({ ':path': '/stop' });
  stop.resume();
  assert.equal(await receipt, false);
  relay.release();
  await once(client, 'close');
  assert.equal(trailers, false);
  assert.equal(server.stream.rstCode, 8, 'NGHTTP2_CANCEL: the stream is reset, not ended with trailers');
  assert.equal(await server.receipts.receipt(), false, 'an ended stream gives no receipt');
});
