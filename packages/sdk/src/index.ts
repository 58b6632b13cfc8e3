// @wxgate/sdk: a typed client for the wxgate API, a webhook verifier and a message-content parser.
export { WxgateClient, type ClientOptions, type Transport } from './client.ts';
export { WxgateError, type FieldError } from './errors.ts';
