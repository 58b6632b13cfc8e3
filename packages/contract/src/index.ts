// The wxgate contract: the one table of endpoints, errors and notify types that everything else derives from.
import { VENDOR_MODULES, type EndpointSpec, type ModuleName } from './define.ts';
import { adminEndpoints } from './endpoints/admin.ts';
import { eventsEndpoints } from './endpoints/events.ts';
import { appEndpoints } from './endpoints/app.ts';
import { cdnEndpoints } from './endpoints/cdn.ts';
import { clientEndpoints } from './endpoints/client.ts';
import { cloudEndpoints } from './endpoints/cloud.ts';
import { contactEndpoints } from './endpoints/contact.ts';
import { labelEndpoints } from './endpoints/label.ts';
import { loginEndpoints } from './endpoints/login.ts';
import { msgEndpoints } from './endpoints/msg/msg.ts';
import { openimEndpoints } from './endpoints/openim.ts';
import { otherEndpoints } from './endpoints/other.ts';
import { roomEndpoints } from './endpoints/room.ts';
import { sandboxEndpoints } from './endpoints/sandbox/sandbox.ts';
import { snsEndpoints } from './endpoints/sns.ts';
import { userEndpoints } from './endpoints/user.ts';
import { wechatyEndpoints } from './endpoints/wechaty.ts';
import { ilinkEndpoints } from './endpoints/ilink.ts';

export * from './cdn-fields.ts';
export * from './define.ts';
export * from './errors.ts';
export { ERRORS_ZH } from './errors-zh.ts';
export * from './events.ts';
export * from './callbacks.ts';
export * from './ids.ts';
export * from './module-info.ts';
export * from './integers.ts';
export * from './wechat.ts';
export { EXAMPLE_APP, ResponseMode } from './endpoints/admin.ts';
export { MAX_VOICE_MESSAGE_MS } from './endpoints/msg/msg-voice.ts';

/** Endpoints grouped by module, in the catalog's order. */
export const modules = {
  client: clientEndpoints,
  login: loginEndpoints,
  user: userEndpoints,
  contact: contactEndpoints,
  room: roomEndpoints,
  msg: msgEndpoints,
  cloud: cloudEndpoints,
  label: labelEndpoints,
  openim: openimEndpoints,
  sns: snsEndpoints,
  app: appEndpoints,
  other: otherEndpoints,
  cdn: cdnEndpoints,
  admin: adminEndpoints,
  sandbox: sandboxEndpoints,
  events: eventsEndpoints,
  wechaty: wechatyEndpoints,
  ilink: ilinkEndpoints,
} as const satisfies Record<ModuleName, unknown>;

export type Modules = typeof modules;
type Union<T> = T[keyof T];
/** Every endpoint keyed by its path. */
export type Contract = { [P in Union<{ [M in keyof Modules]: keyof Modules[M] }>]: Union<{ [M in keyof Modules]: P extends keyof Modules[M] ? Modules[M][P] : never }> };
export type ContractPath = keyof Contract & string;

export const contract: Contract = Object.freeze(Object.assign({}, ...Object.values(modules))) as Contract;

export const endpointList: readonly EndpointSpec[] = Object.values(contract);

export function findEndpoint(path: string): EndpointSpec | undefined {
  return Object.hasOwn(contract, path) ? (contract as Record<string, EndpointSpec>)[path] : undefined;
}

export { VENDOR_MODULES };
