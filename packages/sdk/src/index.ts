// @wxgate/sdk: a typed client for the wxgate API, a webhook verifier and a message-content parser.
export {
  WxgateClient, type CallOptions, type ClientOptions, type RequestOf, type ResponseMode, type ResponseOf, type Transport,
} from './client.ts';
export type { Api, ApiModule, ModuleApi } from './api.ts';
export { WxgateError, type FieldError } from './errors.ts';
export * from './endpoints.generated.ts';
export * from './webhook.ts';
export * from './content.ts';
export * from './stream.ts';
export * from './bot.ts';
