// Handlers for endpoints a driver serves: find the instance's session and run its operation, or say it is not supported.
import { ApiError, invalidField, type EndpointSpec } from '@wxgate/contract';
import type { DriverOperation, DriverPath } from '../driver/driver.ts';
import type { InstanceRecord } from '../storage/ports.ts';
import type { AppContext, HandlersFor, InstanceContext, Services } from './handler.ts';

function notSupported(path: string, driver: string, why = ''): ApiError {
  return new ApiError('NOT_SUPPORTED', `${path} is not supported by the ${driver} driver${why}`, { path, driver });
}

type PrivateCdnFields = { base_request?: { cdn_info?: unknown }; guid?: unknown };

/**
 * The instance a private-CDN call acts on: named by base_request.cdn_info (issued by /cdn/get_cdn_info), or by its
 * guid as the vendor's private deployment accepts (the caller was authenticated by that guid or by app credentials).
 */
async function privateCdnInstance(path: string, req: PrivateCdnFields, ctx: AppContext, driverName: string): Promise<InstanceRecord> {
  const { cdnInfo: tokens, instances } = ctx.services;
  if (!tokens) throw notSupported(path, driverName, ': no media store, so no cdn_info is issued');
  const cdnInfo = req.base_request?.cdn_info;
  if (cdnInfo === undefined && typeof req.guid === 'string') return instances.require(ctx.app, req.guid);
  if (cdnInfo === undefined) throw invalidField('base_request', 'Field required: base_request from /cdn/get_cdn_info, or the instance guid', 'missing');
  const claims = tokens.verify(typeof cdnInfo === 'string' ? cdnInfo : '');
  if (claims.appId !== ctx.app.id) throw new ApiError('CDN_INFO_INVALID', 'this cdn_info was issued to another app');
  return instances.require(ctx.app, claims.guid);
}

/** Runs a call on the instance's driver session (the capability was checked when the call came in). */
export async function performOnDriver(services: Pick<Services, 'driver' | 'instances'>, instance: InstanceRecord, path: string, request: unknown): Promise<unknown> {
  const session = await services.instances.session(instance);
  const operation = session.operations[path as DriverPath] as DriverOperation<DriverPath> | undefined;
  if (!operation) throw notSupported(path, services.driver.name, ' on this instance');
  return operation(request as never);
}

/** Builds the handlers of a driver-served module: capability check, then the session's operation. */
export function viaDriver<T extends Record<string, EndpointSpec>>(table: T): HandlersFor<T> {
  const handlers: Record<string, (req: unknown, ctx: AppContext) => Promise<unknown>> = {};
  for (const spec of Object.values(table)) {
    const path = spec.path as DriverPath;
    handlers[path] = async (req, ctx) => {
      const { driver } = ctx.services;
      let instance: InstanceRecord;
      if (spec.scope === 'cdn') {
        instance = await privateCdnInstance(path, req as PrivateCdnFields, ctx, driver.name);
        // They count against that instance's rate limit like the gateway's calls.
        await ctx.services.quota.consume(instance.guid, false);
      } else if (spec.scope === 'instance') {
        instance = (ctx as InstanceContext).instance;
      } else {
        throw notSupported(path, driver.name);
      }
      if (!driver.capabilities().includes(path)) throw notSupported(path, driver.name);
      // Sends pass the instance's send pacing (core/send-pacing/send-pacing.ts), which calls performOnDriver when their turn comes.
      return ctx.services.sendPacing.submit(instance, path, req, (ctx as InstanceContext).sendAnswer);
    };
  }
  return handlers as unknown as HandlersFor<T>;
}
