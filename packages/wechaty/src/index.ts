// @wxgate/wechaty: a Wechaty puppet over one wxgate instance, and the one-port gRPC server bots connect to by token.
export { WxgatePuppet } from './wxgate-puppet.ts';
export type { Delivery, EventFollow, InstanceEvent, InstancePath, InstanceRequest, WxgateInstancePort } from './instance-port.ts';
export { WechatyGrpcRouter, type TokenGrant, type TokenResolver, type WechatyRouterOptions } from './grpc-router.ts';
