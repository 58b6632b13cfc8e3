// The HTTP transport: fastify routes for the gateway and every direct path, and the errors HTTP itself can raise.
import { randomUUID } from 'node:crypto';
import { ApiError, endpointList, findEndpoint, type EndpointSpec } from '@wxgate/contract';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Services } from '../handlers/handler.ts';
import { credentialsFromHeaders, type Credentials } from './auth.ts';
import { dispatch, type Call } from './dispatch.ts';
import { errorReply, validationReply, type Reply } from './envelope.ts';
import { languageOf, type Language } from './language.ts';
import { OneLineRequestLog } from './request-log.ts';
import type { ResponseModeName } from '../storage/ports.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The contract path a call resolved to (also for the gateway), for metrics and logs; "" before routing. */
    endpointPath: string;
  }
}

export const GATEWAY_PATH = '/open/GuidRequest';
const OTHER_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function send(reply: FastifyReply, out: Reply): FastifyReply {
  return reply.code(out.status).headers(out.headers).send(out.body);
}

/**
 * Parses the gateway envelope {app_key, app_secret, path, data}; problems are answered before any auth, so in the
 * server's default response mode.
 */
function gatewayCall(body: unknown, mode: ResponseModeName, language: Language): { spec: EndpointSpec; data: unknown; credentials: Credentials | null } | Reply {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return validationReply(mode, [{ loc: ['body'], msg: 'Input should be a valid dictionary or object', type: 'model_attributes_type' }], language);
  }
  const { app_key: appKey, app_secret: appSecret, path, data } = body as Record<string, unknown>;
  if (typeof path !== 'string' || !/^\/[\w/]+$/.test(path)) {
    return validationReply(mode, [{ loc: ['body', 'path'], msg: 'Field required: the endpoint path, e.g. "/msg/send_text"', type: path === undefined ? 'missing' : 'string_pattern_mismatch' }], language);
  }
  const spec = findEndpoint(path);
  if (!spec) return errorReply(mode, new ApiError('UNKNOWN_PATH', `no endpoint ${path}; see /openapi.json for the list`), undefined, language);
  const credentials = typeof appKey === 'string' && typeof appSecret === 'string' && appKey && appSecret ? { appKey, appSecret } : null;
  return { spec, data: data ?? {}, credentials };
}

/** `isClosing`: true once shutdown began; answers then end their connection so close() need not wait for keep-alives. */
export function buildHttp(services: Services, options: FastifyServerOptions, isClosing: () => boolean): FastifyInstance {
  const app = Fastify({
    ...options,
    bodyLimit: services.config.bodyLimitBytes,
    return503OnClosing: true,
    logController: new OneLineRequestLog(),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  // Failures before an app is known (routing, parsing, HTTP limits) answer in the server's default mode.
  const mode = services.config.responseMode;
  const languageFor = (request: FastifyRequest) => languageOf(request.headers['accept-language'], services.config.language);
  const methodNotAllowed = (request: FastifyRequest, reply: FastifyReply) =>
    send(reply.header('allow', 'POST'), errorReply(mode, new ApiError('METHOD_NOT_ALLOWED'), undefined, languageFor(request)));

  app.decorateRequest('endpointPath', '');
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (isClosing()) reply.header('connection', 'close');
    done(null, payload);
  });

  const run = async (request: FastifyRequest, reply: FastifyReply, call: Omit<Call, 'headers' | 'requestId' | 'log'>) => {
    request.endpointPath = call.spec.path;
    return send(reply, await dispatch({ ...call, headers: request.headers, requestId: request.id, log: request.log }, services));
  };

  app.post(GATEWAY_PATH, async (request, reply) => {
    const parsed = gatewayCall(request.body, mode, languageFor(request));
    if ('status' in parsed) return send(reply, parsed);
    return run(request, reply, { spec: parsed.spec, body: parsed.data, credentials: parsed.credentials, transport: 'gateway' });
  });
  app.route({ method: [...OTHER_METHODS], url: GATEWAY_PATH, handler: methodNotAllowed });

  for (const spec of endpointList) {
    app.post(spec.path, async (request, reply) =>
      run(request, reply, { spec, body: request.body ?? {}, credentials: credentialsFromHeaders(request.headers), transport: 'direct' }));
    app.route({ method: [...OTHER_METHODS], url: spec.path, handler: methodNotAllowed });
  }

  app.setNotFoundHandler((request, reply) =>
    send(reply, errorReply(mode, new ApiError('UNKNOWN_PATH', `no endpoint ${request.method} ${request.url.split('?')[0]}; see /openapi.json for the list`), undefined, languageFor(request))));

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const code = error.code ?? '';
    let apiError: ApiError;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') apiError = new ApiError('BODY_TOO_LARGE', `the body exceeds ${services.config.bodyLimitBytes} bytes`);
    else if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') apiError = new ApiError('UNSUPPORTED_MEDIA_TYPE');
    else if (error instanceof SyntaxError || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      apiError = new ApiError('MALFORMED_JSON');
    } else if (error.statusCode && error.statusCode < 500) {
      apiError = new ApiError('MALFORMED_JSON', `the request could not be read: ${error.message}`);
    } else {
      request.log.error({ err: error }, 'request failed');
      apiError = new ApiError('INTERNAL');
    }
    return send(reply, errorReply(mode, apiError, undefined, languageFor(request)));
  });

  return app;
}
