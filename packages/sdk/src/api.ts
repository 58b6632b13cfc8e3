// `client.api.<module>.<action>(body)`: every endpoint as a typed method, named by its path (`/msg/send_text` →
// `api.msg.send_text`, `/sandbox/messages/send` → `api.sandbox.messages_send`), built from the endpoint table.
import { ENDPOINTS, type EndpointPath } from './endpoints.generated.ts';
import type { CallOptions, RequestOf, ResponseOf } from './client.ts';

type ModuleOf<P> = P extends `/${infer M}/${string}` ? M : never;
/** The rest of a path after its module, with further `/` as `_`. */
type ActionName<S extends string> = S extends `${infer A}/${infer B}` ? `${A}_${ActionName<B>}` : S;

export type ApiModule = ModuleOf<EndpointPath>;
export type ModuleApi<M extends ApiModule> = {
  readonly [P in EndpointPath as P extends `/${M}/${infer A}` ? ActionName<A> : never]:
    (body: RequestOf<P>, options?: CallOptions) => Promise<ResponseOf<P>>;
};
export type Api = { readonly [M in ApiModule]: ModuleApi<M> };

type Call = (path: string, body: Record<string, unknown>, options?: CallOptions) => Promise<unknown>;

export function buildApi(call: Call): Api {
  const api: Record<string, Record<string, unknown>> = {};
  for (const path of Object.keys(ENDPOINTS)) {
    const [, module, ...rest] = path.split('/');
    (api[module!] ??= {})[rest.join('_')] = (body: Record<string, unknown>, options?: CallOptions) => call(path, body, options);
  }
  for (const methods of Object.values(api)) Object.freeze(methods);
  return Object.freeze(api) as unknown as Api;
}
