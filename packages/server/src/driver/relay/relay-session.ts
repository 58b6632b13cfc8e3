// A relay session: every driver path of one instance, forwarded to its upstream instance (guid swapped both ways), with
// answers mirrored; the local-store endpoints fall back to the mirror when the upstream does not serve them.
import { ApiError, contract, modules, type EndpointSpec } from '@wxgate/contract';
import type { Store } from '../../storage/ports.ts';
import { DRIVER_MODULES, type DriverOperations, type DriverPath, type DriverSession } from '../driver.ts';
import { answerFromMirror, LOCAL_STORE_PATHS, mirrorAnswer, type LocalStorePath } from './relay-mirror.ts';
import type { MirrorWrites } from './relay-mirror-writes.ts';
import type { UpstreamClient } from './upstream-client.ts';

/** Every path a driver may serve: the relay forwards them all and lets the upstream decide what it supports. */
export const RELAY_CAPABILITIES: readonly DriverPath[] = Object.freeze(
  DRIVER_MODULES.flatMap((m) => Object.keys(modules[m]) as DriverPath[]),
);

const LOCAL: ReadonlySet<string> = new Set(LOCAL_STORE_PATHS);
/** Paths whose answers feed the mirror (others skip the extra store work). */
const MIRRORED = /^\/(msg\/send_|contact\/get_contact$|contact\/del_friend$|room\/get_chatroom_member_detail$|openim\/get_openim_room_member_detail$)/;

export interface SessionDeps {
  readonly store: Store;
  /** Where answers are mirrored; reads of the mirror wait for its writes. */
  readonly mirrorWrites: MirrorWrites;
  readonly now: () => number;
  /** The upstream guid and client of this instance (created or adopted on first need). */
  readonly upstream: () => Promise<{ upstreamGuid: string; client: UpstreamClient }>;
  /** The client of the upstream's private-CDN server. */
  readonly cdnClient: () => Promise<UpstreamClient>;
  readonly warn: (details: object, message: string) => void;
}

/** How long an upstream cdn_info is reused before a fresh one is asked for (wxgate's own are valid 3 hours). */
const CDN_CREDENTIAL_TTL_MS = 3_600_000;
/** Refusals after which a fresh upstream cdn_info may help; the call did not run, so sending it again is safe. */
const CREDENTIAL_REFUSALS: ReadonlySet<string> = new Set(['CDN_INFO_INVALID', 'CDN_INFO_EXPIRED', 'UPSTREAM_REFUSED']);

/**
 * The private-CDN calls carry no guid: `base_request` is the credential. The tenant's is wxgate's (it named our
 * instance); the upstream's CDN wants its own, so the relay asks the upstream instance for one and sends that instead.
 */
function privateCdn(deps: SessionDeps) {
  let credential: { baseRequest: Record<string, unknown>; fetchedAt: number } | null = null;
  const baseRequest = async (fresh: boolean): Promise<Record<string, unknown>> => {
    if (!fresh && credential && deps.now() - credential.fetchedAt < CDN_CREDENTIAL_TTL_MS) return credential.baseRequest;
    const { upstreamGuid, client } = await deps.upstream();
    const info = await client.call('/cdn/get_cdn_info', { guid: upstreamGuid }, { kind: 'wrapper' }) as Record<string, unknown>;
    const { cdn_info, username, device_type, client_version } = info;
    credential = { baseRequest: { cdn_info, username, device_type, client_version }, fetchedAt: deps.now() };
    return credential.baseRequest;
  };
  return async (path: string, request: Record<string, unknown>, kind: EndpointSpec['kind']): Promise<unknown> => {
    const cdn = await deps.cdnClient();
    const send = async (fresh: boolean) => cdn.call(path, { ...request, base_request: await baseRequest(fresh) }, { kind });
    try {
      return await send(false);
    } catch (err) {
      if (!(err instanceof ApiError) || !CREDENTIAL_REFUSALS.has(err.error)) throw err;
      try {
        return await send(true);
      } catch (again) {
        // The tenant's own cdn_info was fine (we checked it): do not tell them it was not.
        if (again instanceof ApiError && again.error.startsWith('CDN_INFO_')) {
          throw new ApiError('UPSTREAM_REFUSED', `the upstream provider's private CDN refused its own cdn_info: ${again.message}`);
        }
        throw again;
      }
    }
  };
}

export function relaySession(guid: string, deps: SessionDeps): DriverSession {
  const viaPrivateCdn = privateCdn(deps);
  const forward = async (path: string, request: Record<string, unknown>): Promise<unknown> => {
    const spec = (contract as Record<string, EndpointSpec>)[path]!;
    if (spec.scope === 'cdn') return viaPrivateCdn(path, request, spec.kind);
    const { upstreamGuid, client } = await deps.upstream();
    let data: unknown;
    try {
      data = await client.call(path, { ...request, guid: upstreamGuid }, { kind: spec.kind });
    } catch (err) {
      // The upstream's own store answers first (it may have seen more); without one, ours does.
      if (LOCAL.has(path) && err instanceof ApiError && err.error === 'NOT_SUPPORTED') {
        await deps.mirrorWrites.settled();
        return answerFromMirror(deps.store.relay.mirror, guid, path as LocalStorePath, request);
      }
      throw err;
    }
    if (MIRRORED.test(path)) {
      // The call succeeded upstream; the mirror's copy is written after the answer and cannot fail the call.
      const at = deps.now();
      deps.mirrorWrites.add((mirror) => mirrorAnswer(mirror, guid, path, request, data, at));
    }
    return data;
  };
  const operations: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const path of RELAY_CAPABILITIES) operations[path] = (request) => forward(path, request as Record<string, unknown>);
  return { guid, operations: operations as DriverOperations, close: async () => {} };
}
