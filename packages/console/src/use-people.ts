// The sandbox world's people, re-read as events arrive; `available` is false with a driver that has no sandbox.
import type { SandboxPeopleListResponse, WxgateClient } from '@wxgate/sdk';
import { useEffect, useState } from 'preact/hooks';

export type Person = SandboxPeopleListResponse['people'][number];

export interface People {
  available: boolean;
  list: Person[];
  reload: () => Promise<void>;
}

export function usePeople(client: WxgateClient, tick: number): People {
  const [available, setAvailable] = useState(false);
  const [list, setList] = useState<Person[]>([]);
  const reload = async () => {
    try {
      const page = await client.call('/sandbox/people/list', { limit: 1000 });
      setList(page.people);
      setAvailable(true);
    } catch {
      // The relay driver has no /sandbox/*: the sandbox panels stay hidden.
      setAvailable(false);
    }
  };
  useEffect(() => void reload(), [client, tick]);
  return { available, list, reload };
}
