// A relay session: every driver path of one instance, forwarded to its upstream instance (guid swapped both ways), with
// answers mirrored; the local-store endpoints fall back to the mirror when the upstream does not serve them.
import { ApiError, contract, modules, type EndpointSpec } from '@wxgate/contract';
import type { Store } from '../../storage/ports.ts';
import { DRIVER_MODULES, type DriverOperations, type DriverPath, type DriverSession } from '../driver.ts';
import { answerFromMirror, LOCAL_STORE_PATHS, mirrorAnswer, type LocalStorePath } from './relay-mirror.ts';
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
  readonly now: () => number;
  /** The upstream guid and client of this instance (created or adopted on first need). */
  readonly upstream: () => Promise<{ upstreamGuid: string; client: UpstreamClient }>;
  readonly warn: (details: object, message: string) => void;
}

export function relaySession(guid: string, deps: SessionDeps): DriverSession {
  const forward = async (path: string, request: Record<string, unknown>): Promise<unknown> => {
    const spec = (contract as Record<string, EndpointSpec>)[path]!;
    const { upstreamGuid, client } = await deps.upstream();
    let data: unknown;
    try {
      data = await client.call(path, { ...request, guid: upstreamGuid }, { kind: spec.kind });
    } catch (err) {
      // The upstream's own store answers first (it may have seen more); without one, ours does.
      if (LOCAL.has(path) && err instanceof ApiError && err.error === 'NOT_SUPPORTED') {
        return answerFromMirror(deps.store.relay.mirror, guid, path as LocalStorePath, request);
      }
      throw err;
    }
    if (MIRRORED.test(path)) {
      // The call succeeded upstream; a mirror hiccup must not turn it into a failure for the caller.
      await mirrorAnswer(deps.store.relay.mirror, guid, path, request, data, deps.now())
        .catch((err: unknown) => deps.warn({ err, guid, path }, 'relay mirror write failed'));
    }
    return data;
  };
  const operations: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const path of RELAY_CAPABILITIES) operations[path] = (request) => forward(path, request as Record<string, unknown>);
  return { guid, operations: operations as DriverOperations, close: async () => {} };
}
