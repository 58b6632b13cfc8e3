// Runs a button's API call: busy while it runs, the error (wxgate's code and message) kept for display.
import { WxgateError } from '@wxgate/sdk';
import { useCallback, useState } from 'preact/hooks';
import type { Messages } from './i18n/en.ts';
import { useI18n } from './i18n/use-i18n.tsx';

/** No answer at all (the SDK's code -1 with status 0): the server is down or the network is. */
export const isUnreachable = (err: unknown): boolean => err instanceof WxgateError && err.code === -1 && err.status === 0;

/**
 * The API's own reason (errmsg, and the failing fields of a validation error) in the console's frame; wxgate's
 * reasons are English, and are shown as they are so they can be searched for and reported.
 */
export function describeError(err: unknown, t: Messages): string {
  if (isUnreachable(err)) return t.errors.unreachable;
  if (err instanceof WxgateError) {
    const fields = err.errors
      .filter((e) => e.msg && !err.message.includes(e.msg))
      .map((e) => t.errors.field({ field: e.loc.filter((part) => part !== 'body').join('.'), message: e.msg }));
    return t.errors.api({ message: [err.message, ...fields].join('; '), code: err.code });
  }
  return err instanceof Error ? err.message : String(err);
}

export interface Action {
  busy: boolean;
  /** The last failure as shown, "" when the last run succeeded. */
  error: string;
  /** The last failure itself (null after a success), for a caller that adds advice for particular ones. */
  failure: { readonly err: unknown } | null;
  run: <T>(work: () => Promise<T>) => Promise<T | undefined>;
  clear: () => void;
}

export function useAction(): Action {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ readonly err: unknown } | null>(null);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setFailure(null);
    try {
      return await work();
    } catch (err) {
      setFailure({ err });
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  // Described at render time, so a failure on screen follows a language switch.
  return { busy, error: failure === null ? '' : describeError(failure.err, t), failure, run, clear: () => setFailure(null) };
}
