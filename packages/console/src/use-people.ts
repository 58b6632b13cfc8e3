// The sandbox world's people, re-read as events arrive; `available` is false with a driver that has no sandbox.
import { WxgateError, type SandboxPeopleListResponse, type WxgateClient } from '@wxgate/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';

export type Person = SandboxPeopleListResponse['people'][number];

export interface People {
  available: boolean;
  list: Person[];
  reload: () => Promise<void>;
}

export function usePeople(client: WxgateClient, tick: number): People {
  const [available, setAvailable] = useState(false);
  const [list, setList] = useState<Person[]>([]);
  const latest = useRef(0);
  const reload = async () => {
    // Reloads overlap (every event starts one): only the newest request's answer may land, or an older list (without
    // the person just created, say) could replace a newer one and stay until the next event.
    const ticket = ++latest.current;
    try {
      const page = await client.call('/sandbox/people/list', { limit: 1000 });
      if (ticket !== latest.current) return;
      setList(page.people);
      setAvailable(true);
    } catch (err) {
      // The relay driver has no /sandbox/* (501): the sandbox panels stay hidden. Other failures are passing trouble.
      if (ticket === latest.current && err instanceof WxgateError && err.status === 501) setAvailable(false);
    }
  };
  useEffect(() => void reload(), [client, tick]);
  return { available, list, reload };
}
