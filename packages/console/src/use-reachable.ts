// Whether the server answers, for components: the shell's Reachability through a context, re-rendering on changes.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { Reachability } from './reachability.ts';

export const ReachabilityContext = createContext<Reachability | null>(null);

export function useReachable(): boolean {
  const reachability = useContext(ReachabilityContext);
  const [reachable, setReachable] = useState(reachability?.reachable ?? true);
  useEffect(() => {
    if (!reachability) return;
    setReachable(reachability.reachable);
    return reachability.subscribe(setReachable);
  }, [reachability]);
  return reachable;
}
