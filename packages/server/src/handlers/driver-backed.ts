// Handlers for endpoints a driver serves: find the instance's session and run its operation, or say it is not supported.
import { ApiError, type EndpointSpec } from '@wxgate/contract';
import type { DriverOperation, DriverPath } from '../driver/driver.ts';
import type { AppContext, HandlersFor, InstanceContext } from './handler.ts';

function notSupported(path: string, driver: string, why = ''): ApiError {
  return new ApiError('NOT_SUPPORTED', `${path} is not supported by the ${driver} driver${why}`, { path, driver });
}

/** Builds the handlers of a driver-served module: capability check, then the session's operation. */
export function viaDriver<T extends Record<string, EndpointSpec>>(table: T): HandlersFor<T> {
  const handlers: Record<string, (req: unknown, ctx: AppContext) => Promise<unknown>> = {};
  for (const spec of Object.values(table)) {
    const path = spec.path as DriverPath;
    handlers[path] = async (req, ctx) => {
      const { driver, instances } = ctx.services;
      if (spec.scope !== 'instance') {
        // The private-CDN calls name their instance by base_request.cdn_info, which only the media module issues.
        throw notSupported(path, driver.name, ': its private-CDN credentials (cdn_info) are not issued yet');
      }
      if (!driver.capabilities().includes(path)) throw notSupported(path, driver.name);
      const session = await instances.session((ctx as InstanceContext).instance);
      const operation = session.operations[path] as DriverOperation<DriverPath> | undefined;
      if (!operation) throw notSupported(path, driver.name, ' on this instance');
      return operation(req as never);
    };
  }
  return handlers as unknown as HandlersFor<T>;
}
