// Runs a button's API call: busy while it runs, the error (wxgate's code and message) kept for display.
import { WxgateError } from '@wxgate/sdk';
import { useCallback, useState } from 'preact/hooks';

export function describeError(err: unknown): string {
  if (err instanceof WxgateError) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}

export function useAction(): { busy: boolean; error: string; run: <T>(work: () => Promise<T>) => Promise<T | undefined>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError('');
    try {
      return await work();
    } catch (err) {
      setError(describeError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError('') };
}
