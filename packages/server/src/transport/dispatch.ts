// The request pipeline shared by both transports: auth → instance → rate limit → validation → handler → envelope.
import { ApiError, VENDOR_MODULES, type EndpointSpec, type ValidationIssue } from '@wxgate/contract';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { handlers } from '../handlers/index.ts';
import type { AdminContext, AppContext, InstanceContext, Services } from '../handlers/handler.ts';
import type { AppRecord, ResponseModeName } from '../storage/ports.ts';
import { checkAdminToken, type Credentials } from './auth.ts';
import { QueuedSend } from '../core/send-pacing/send-pacing.ts';
import { errorReply, queuedReply, successReply, validationReply, type Reply } from './envelope.ts';
import { languageOf } from './language.ts';
import { isUuid, validateRequest } from './validation.ts';

export interface Call {
  readonly spec: EndpointSpec;
  /** The endpoint's fields: the direct body, or the gateway's `data`. */
  readonly body: unknown;
  /** null when the caller sent none. */
  readonly credentials: Credentials | null;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
  readonly log: FastifyBaseLogger;
  readonly transport: 'gateway' | 'direct';
}

const COUNTED_MODULES: ReadonlySet<string> = new Set(VENDOR_MODULES);

/** A caller's choice of the send pacing answer for one call, over the instance's setting (docs/pacing.md). */
const PACING_HEADER = 'x-wxgate-pacing';

type AnyHandler = (req: unknown, ctx: AdminContext) => Promise<unknown>;

async function authenticate(call: Call, services: Services): Promise<AppRecord> {
  if (call.credentials) return services.apps.authenticate(call.credentials.appKey, call.credentials.appSecret);
  const body = call.body as { guid?: unknown; base_request?: { cdn_info?: unknown } } | null;
  // Private-CDN calls carry no app credentials on the vendor's side: their signed cdn_info names the app…
  const cdnInfo = body?.base_request?.cdn_info;
  if (call.spec.scope === 'cdn' && typeof cdnInfo === 'string' && services.cdnInfo) {
    return services.apps.byId(services.cdnInfo.verify(cdnInfo).appId);
  }
  // …or, on the vendor's private deployment, the instance guid alone does (docs/media.md, WXGATE_CDN_GUID_ACCESS).
  if (call.spec.module === 'cloud' && services.config.cdnGuidAccess && isUuid(body?.guid)) {
    const instance = await services.instances.find(body.guid);
    if (!instance) throw new ApiError('UNKNOWN_INSTANCE');
    return services.apps.byId(instance.appId);
  }
  if (call.transport === 'direct' && services.config.allowUnauthenticatedDirect) return services.apps.defaultApp(services.config.appKey);
  throw new ApiError('MISSING_CREDENTIALS');
}

type Outcome = { readonly issues: ValidationIssue[] } | { readonly result: unknown };

/** The pipeline after authentication: instance, rate limit, validation, handler (send pacing included). */
async function runAs(app: AppRecord, call: Omit<Call, 'credentials' | 'transport'>, services: Services): Promise<Outcome> {
  const { spec } = call;
  const handler = (handlers as unknown as Record<string, AnyHandler>)[spec.path]!;
  let ctx: AppContext | InstanceContext = { services, requestId: call.requestId, app };
  if (spec.scope === 'instance') {
    // Count the call as soon as it names one of the caller's instances: calls count whether they succeed or fail.
    const guid = (call.body as { guid?: unknown } | null)?.guid;
    if (isUuid(guid)) {
      const instance = await services.instances.require(app, guid);
      // The vendor's limit covers the vendor's modules; wxgate's extensions (/events, /sandbox) have none.
      if (COUNTED_MODULES.has(spec.module)) await services.quota.consume(instance.guid, spec.passesRateLock === true);
      const sendAnswer = call.headers[PACING_HEADER];
      if (sendAnswer !== undefined && sendAnswer !== 'queued' && sendAnswer !== 'blocking') {
        return { issues: [{ loc: ['header', PACING_HEADER], msg: 'Input should be \'queued\' or \'blocking\'', type: 'literal_error' }] };
      }
      ctx = { ...ctx, instance, ...(sendAnswer ? { sendAnswer } : {}) };
    }
  }
  const issues = validateRequest(spec, call.body);
  if (issues.length) return { issues };
  return { result: await handler(call.body, ctx) };
}

/**
 * One call as an app already authenticated another way (a Wechaty token, transport/wechaty.ts): the same pipeline as
 * an HTTP call after authentication, its result or its failure as an ApiError (a refused field as VALIDATION).
 */
export async function callAs(app: AppRecord, call: Omit<Call, 'credentials' | 'transport'>, services: Services): Promise<unknown> {
  const outcome = await runAs(app, call, services);
  if ('issues' in outcome) {
    const first = outcome.issues[0];
    throw new ApiError('VALIDATION', `Validation Error: ${first ? `${first.loc.join('.')}: ${first.msg}` : ''}`, { errors: outcome.issues });
  }
  return outcome.result;
}

/** Runs one call; never throws — every outcome is a Reply in the caller's response mode. */
export async function dispatch(call: Call, services: Services): Promise<Reply> {
  // Until the app is known, failures answer in the server's default mode (the vendor's wire unless configured).
  let mode: ResponseModeName = services.config.responseMode;
  const language = languageOf(call.headers['accept-language'], services.config.language);
  const { spec } = call;
  try {
    if (spec.scope === 'admin') {
      const handler = (handlers as unknown as Record<string, AnyHandler>)[spec.path]!;
      // wxgate's own admin API always answers the standard envelope with precise statuses.
      mode = 'standard';
      checkAdminToken(call.headers, services.config.adminToken);
      const issues = validateRequest(spec, call.body);
      if (issues.length) return validationReply(mode, issues, language);
      const ctx: AdminContext = { services, requestId: call.requestId };
      return successReply(mode, spec, await handler(call.body, ctx));
    }
    const app = await authenticate(call, services);
    mode = app.mode;
    const outcome = await runAs(app, call, services);
    if ('issues' in outcome) return validationReply(mode, outcome.issues, language);
    if (outcome.result instanceof QueuedSend) return queuedReply(mode, spec, outcome.result);
    return successReply(mode, spec, outcome.result);
  } catch (err) {
    if (err instanceof ApiError) return errorReply(mode, err, spec.kind, language);
    call.log.error({ err, path: spec.path }, 'handler failed');
    return errorReply(mode, new ApiError('INTERNAL'), spec.kind, language);
  }
}
