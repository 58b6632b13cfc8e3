// MCP over Streamable HTTP at POST /mcp: the SDK's shared tools (@wxgate/sdk/mcp), each calling this server's own API as the caller's app.
import { ApiError } from '@wxgate/contract';
import type { WxgateClient } from '@wxgate/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../handlers/handler.ts';
import { credentialsFromHeaders, type Credentials } from './auth.ts';
import { errorReply } from './envelope.ts';
import { languageOf } from './language.ts';

export const MCP_PATH = '/mcp';
/** Never dialled: the client's fetch is answered in-process by inject; the name only fills the URLs it builds. */
const SELF = 'http://wxgate.mcp.internal';

/**
 * Loaded on the first MCP request: the MCP SDK and zod are a sizeable load that a server nobody asks over MCP never
 * needs at start. (It also keeps the SDK, whose package export is its built dist, out of processes that run the server
 * from source without the `source` condition.)
 */
let modules: Promise<{
  WxgateClient: typeof import('@wxgate/sdk').WxgateClient;
  createWxgateMcpServer: typeof import('@wxgate/sdk/mcp').createWxgateMcpServer;
  StreamableHTTPServerTransport: typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js').StreamableHTTPServerTransport;
}> | undefined;
const loadModules = () => (modules ??= Promise.all([
  import('@wxgate/sdk'), import('@wxgate/sdk/mcp'), import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
]).then(([sdk, mcp, http]) => ({
  WxgateClient: sdk.WxgateClient, createWxgateMcpServer: mcp.createWxgateMcpServer, StreamableHTTPServerTransport: http.StreamableHTTPServerTransport,
})));

/**
 * The tools reach the API through `inject`, not a socket: every call passes the same routing, authentication, tenancy,
 * validation, rate limit, metrics and request log as a call from outside, without this process dialling itself
 * (whose address a proxy or container may hide). The caller's own credentials go along, so nothing is widened.
 */
function selfClient(Client: typeof WxgateClient, app: FastifyInstance, credentials: Credentials | null, language: string | undefined): WxgateClient {
  const fetchThroughApi: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const res = await app.inject({
      method: 'POST',
      url: url.pathname,
      payload: String(init?.body ?? '{}'),
      headers: {
        'content-type': 'application/json',
        ...(credentials ? { 'x-app-key': credentials.appKey, 'x-app-secret': credentials.appSecret } : {}),
        ...(language ? { 'accept-language': language } : {}),
      },
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return new Response(res.body, { status: res.statusCode, headers });
  };
  return new Client({ baseUrl: SELF, fetch: fetchThroughApi, ...(credentials ?? {}) });
}

export function registerMcp(app: FastifyInstance, services: Services): void {
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: ApiError) => {
    const out = errorReply('standard', error, undefined, languageOf(request.headers['accept-language'], services.config.language));
    return reply.code(out.status).headers(out.headers).send(out.body);
  };

  app.post(MCP_PATH, async (request, reply) => {
    // Checked here as well as on every call inside, so a wrong key fails the client's first request, not its first tool.
    const credentials = credentialsFromHeaders(request.headers);
    try {
      if (credentials) await services.apps.authenticate(credentials.appKey, credentials.appSecret);
      else if (!services.config.allowUnauthenticatedDirect) throw new ApiError('MISSING_CREDENTIALS');
    } catch (err) {
      return refuse(request, reply, err instanceof ApiError ? err : new ApiError('INTERNAL'));
    }
    const { WxgateClient, createWxgateMcpServer, StreamableHTTPServerTransport } = await loadModules();
    // Stateless: a server and transport per request, so no session outlives its request or crosses apps.
    const server = createWxgateMcpServer(selfClient(WxgateClient, app, credentials, request.headers['accept-language']));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (err) {
      request.log.error({ err }, 'MCP request failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' });
      reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'internal error' }, id: null }));
    }
  });

  // Stateless: there is no stream to GET and no session to DELETE; MCP clients treat 405 as "not offered".
  app.route({
    method: ['GET', 'DELETE'],
    url: MCP_PATH,
    handler: (request, reply) => refuse(request, reply.header('allow', 'POST'), new ApiError('METHOD_NOT_ALLOWED')),
  });
}
