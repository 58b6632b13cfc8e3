// The one error type the SDK throws: wxgate's catalog code, the HTTP status and what the server said.

/** One entry of a 422 answer: where the input failed and why. */
export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export class WxgateError extends Error {
  override readonly name = 'WxgateError';
  constructor(
    /** The catalog code (`errcode`); 422 for validation, 0 never. Network failures use -1. */
    readonly code: number,
    message: string,
    /**
     * The failure's precise HTTP status (404 unknown instance, 409 not logged in, …), or 0 when no answer arrived.
     * wxgate sends it in the `x-wxgate-status` header in every response mode, since the vendor's wire (`raw`, the
     * default) answers business failures with HTTP 200; from another server it is the HTTP status itself.
     */
    readonly status: number,
    /** `data` of the error body: WeChat's refusal (`baseResponse.ret`) where there is one, else null. */
    readonly data: unknown = null,
    /** The failing fields of a validation error. */
    readonly errors: FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}
