// The sandbox world's people, re-read as events arrive; `available` is false with a driver that has no sandbox.
// Components show people by nickname through `PeopleContext` (the wxid on hover and a click away).
import { WxgateError, type SandboxPeopleListResponse, type WxgateClient } from '@wxgate/sdk';
import { createContext } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

export type Person = SandboxPeopleListResponse['people'][number];

export interface People {
  available: boolean;
  list: Person[];
  reload: () => Promise<void>;
}

/** Names for wxids: the nickname, told apart by the wxid's end where two people share one. */
export interface Names {
  readonly byWxid: ReadonlyMap<string, Person>;
  label(wxid: string): string;
}

export function namesOf(list: readonly Person[]): Names {
  const byWxid = new Map(list.map((p) => [p.wxid, p]));
  const uses = new Map<string, number>();
  for (const p of list) uses.set(p.nickname, (uses.get(p.nickname) ?? 0) + 1);
  return {
    byWxid,
    label(wxid) {
      const person = byWxid.get(wxid);
      if (!person || !person.nickname) return wxid;
      return (uses.get(person.nickname) ?? 0) > 1 ? `${person.nickname} (…${wxid.slice(-4)})` : person.nickname;
    },
  };
}

export const PeopleContext = createContext<Names>(namesOf([]));

export function usePeople(client: WxgateClient, tick: unknown): People & { names: Names } {
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
  const names = useMemo(() => namesOf(list), [list]);
  return { available, list, reload, names };
}
