// What a handler is: a typed function from an endpoint's validated request (and its caller) to its success payload.
import type { Contract, ContractPath, EndpointSpec, RequestOf, ResponseOf } from '@wxgate/contract';
import type { Config } from '../config.ts';
import type { AppDirectory } from '../core/apps.ts';
import type { CdnInfoTokens } from '../core/media/cdn-info.ts';
import type { Clock } from '../core/clock.ts';
import type { EventService } from '../core/events.ts';
import type { UrlGuard } from '../core/egress/url-guard.ts';
import type { SigningKeys } from '../delivery/signing-keys.ts';
import type { InstanceService } from '../core/instances.ts';
import type { InstanceQuota } from '../core/quota.ts';
import type { SendPacing } from '../core/send-pacing/send-pacing.ts';
import type { WechatyTokens } from '../core/wechaty-tokens.ts';
import type { IlinkBots } from '../core/ilink/ilink-bots.ts';
import type { SendAnswer } from '../storage/send-pacing-ports.ts';
import type { Driver } from '../driver/driver.ts';
import type { SandboxControl } from '../driver/sandbox/control.ts';
import type { AppRecord, InstanceRecord } from '../storage/ports.ts';

/** The core services handlers may use; built once by the composition root. */
export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly apps: AppDirectory;
  readonly instances: InstanceService;
  readonly quota: InstanceQuota;
  readonly driver: Driver;
  readonly events: EventService;
  /** The optional per-instance send queue every send passes (core/send-pacing/send-pacing.ts). */
  readonly sendPacing: SendPacing;
  /** The simulated world's control surface (/sandbox/*); absent when the driver is not the sandbox. */
  readonly sandbox?: SandboxControl;
  readonly keys: SigningKeys;
  readonly urlGuard: UrlGuard;
  /** Tokens of the Wechaty bridge (transport/wechaty.ts serves them over gRPC). */
  readonly wechaty: WechatyTokens;
  /** Bots of the iLink bridge (transport/ilink/ilink.ts serves the iLink bot API). */
  readonly ilink: IlinkBots;
  /** Issues and checks cdn_info, the credential of the private-CDN calls; absent without a media store. */
  readonly cdnInfo?: CdnInfoTokens;
}

export interface AdminContext {
  readonly services: Services;
  readonly requestId: string;
}
export interface AppContext extends AdminContext {
  readonly app: AppRecord;
}
export interface InstanceContext extends AppContext {
  readonly instance: InstanceRecord;
  /** The caller's choice for this call (header x-wxgate-pacing) over the instance's send pacing `answer`. */
  readonly sendAnswer?: SendAnswer;
}

export type ContextOf<E extends EndpointSpec> =
  E['scope'] extends 'instance' ? InstanceContext : E['scope'] extends 'admin' ? AdminContext : AppContext;

export type Handler<E extends EndpointSpec> = (request: RequestOf<E>, ctx: ContextOf<E>) => Promise<ResponseOf<E>>;

/** One handler per contract path: leaving one out is a compile error. */
export type HandlerTable = { readonly [P in ContractPath]: Handler<Contract[P]> };

/** A handler table for any subset of paths (a module's). */
export type HandlersFor<T> = { readonly [P in keyof T]: T[P] extends EndpointSpec ? Handler<T[P]> : never };
