// One instance: its settings, login, live events and (with the sandbox driver) the simulated world around it.
import type { WxgateClient } from '@wxgate/sdk';
import { useEffect, useState } from 'preact/hooks';
import { getStatus, type ClientStatus } from '../instances.ts';
import type { Reachability } from '../reachability.ts';
import { useAction } from '../use-action.ts';
import { useInstanceEvents, type LiveEvent } from '../use-events.ts';
import type { People } from '../use-people.ts';
import { EventsPanel } from './EventsPanel.tsx';
import { InstancePanel } from './InstancePanel.tsx';
import { LoginPanel } from './LoginPanel.tsx';
import { SandboxPanel } from './SandboxPanel.tsx';

/** Callbacks after which the instance's state has changed (login, logout, session trouble). */
const STATE_EVENTS = new Set([1002, 1003, 1004, 1007, 1008, 2006]);

/** A message sync failure (2006) not yet followed by a login or restart: restore is what fixes it. */
function syncBroken(events: readonly LiveEvent[]): boolean {
  const last = [...events].reverse().find((e) => e.notify_type === 2006 || e.notify_type === 1001 || e.notify_type === 1003 || e.notify_type === 1004);
  return last?.notify_type === 2006;
}

interface Props {
  client: WxgateClient;
  guid: string;
  people: People;
  reachability: Reachability;
  /** Told the number of events whenever it changes, so the shell re-reads the people. */
  onEvents: (count: number) => void;
  onChanged: () => void;
  onRemoved: () => void;
}

export function InstanceView({ client, guid, people, reachability, onEvents, onChanged, onRemoved }: Props) {
  const [status, setStatus] = useState<ClientStatus | null>(null);
  const loading = useAction();
  const { events, state, detail } = useInstanceEvents(client, guid, reachability);
  // Restore after a sync failure is only offered until the restore succeeds (it emits no event of its own).
  const [restoredAt, setRestoredAt] = useState(-1);

  const refresh = () => loading.run(async () => setStatus(await getStatus(client, guid)));

  useEffect(() => void refresh(), [guid]);
  useEffect(() => onEvents(events.length), [events.length]);
  // Back from "unreachable": what was shown may be stale.
  useEffect(() => reachability.subscribe((up) => { if (up) void refresh(); }), [reachability, guid]);

  // Re-read the status shortly after a state-changing callback (a login emits several at once: read once).
  const lastStateSn = [...events].reverse().find((e) => STATE_EVENTS.has(e.notify_type))?.sn ?? 0;
  useEffect(() => {
    if (!lastStateSn) return;
    const timer = setTimeout(() => { void refresh(); onChanged(); }, 300);
    return () => clearTimeout(timer);
  }, [lastStateSn]);

  const changed = async () => {
    await refresh();
    onChanged();
  };
  const online = status?.status === 2;
  const account = online ? status?.login_wxid ?? '' : '';
  const broken = syncBroken(events) && lastStateSn > restoredAt;

  return (
    <div class="instance-view">
      {loading.error && <p class="error">{loading.error}</p>}
      <InstancePanel client={client} guid={guid} status={status} syncBroken={broken}
        onChanged={changed} onRestored={() => setRestoredAt(lastStateSn)} onRemoved={onRemoved} />
      {status && !online && (
        <LoginPanel client={client} guid={guid} running={status.status === 1} events={events} people={people.available ? people.list : null} onChanged={changed} />
      )}
      <div class="columns">
        <EventsPanel client={client} guid={guid} events={events} state={state} detail={detail} canReplay={!!status?.notify_url} />
        {people.available && (
          <SandboxPanel client={client} guid={guid} account={account} loginInProgress={!!status && !online && hasQrLogin(events)} people={people} events={events} />
        )}
      </div>
    </div>
  );
}

/** Whether a login attempt is under way (its latest 1002 waits for a scan or a confirmation). */
function hasQrLogin(events: readonly LiveEvent[]): boolean {
  const last = [...events].reverse().find((e) => e.notify_type === 1002)?.data as { status?: number } | undefined;
  return last?.status === 0 || last?.status === 1;
}
