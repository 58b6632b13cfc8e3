// Client routes under /console/: the instance list, and /console/i/<guid> for one instance (reloadable: the server
// answers index.html for paths without a file).
import { useEffect, useState } from 'preact/hooks';

const BASE = '/console/';

function current(): string | null {
  const match = /^\/console\/i\/([0-9a-f-]{36})\/?$/i.exec(location.pathname);
  return match ? match[1]!.toLowerCase() : null;
}

export function useRoute(): [string | null, (guid: string | null) => void] {
  const [guid, setGuid] = useState(current);
  useEffect(() => {
    const onPop = () => setGuid(current());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = (next: string | null) => {
    history.pushState(null, '', next ? `${BASE}i/${next}` : BASE);
    setGuid(next);
  };
  return [guid, navigate];
}
