// One instance: its settings, login, live events and (with the sandbox driver) the simulated world around it.
import type { WxgateClient } from '@wxgate/sdk';
import { useEffect, useState } from 'preact/hooks';
import { getStatus, type ClientStatus } from '../instances.ts';
import { usePeople } from '../use-people.ts';
import { useInstanceEvents } from '../use-events.ts';
import { EventsPanel } from './EventsPanel.tsx';
import { InstancePanel } from './InstancePanel.tsx';
import { LoginPanel } from './LoginPanel.tsx';
import { SandboxPanel } from './SandboxPanel.tsx';

/** Callbacks after which the instance's state has changed (login, logout, session trouble). */
const STATE_EVENTS = new Set([1002, 1003, 1004, 1007, 1008, 2006]);

interface Props {
  client: WxgateClient;
  guid: string;
  onChanged: () => void;
  onRemoved: () => void;
}

export function InstanceView({ client, guid, onChanged, onRemoved }: Props) {
  const [status, setStatus] = useState<ClientStatus | null>(null);
  const [error, setError] = useState('');
  const { events, state, detail } = useInstanceEvents(client, guid);
  const people = usePeople(client, events.length);

  const refresh = async () => {
    try {
      setStatus(await getStatus(client, guid));
      setError('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  useEffect(() => void refresh(), [guid]);

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

  return (
    <div class="instance-view">
      {error && <p class="error">{error}</p>}
      <InstancePanel client={client} guid={guid} status={status} onChanged={changed} onRemoved={onRemoved} />
      {status && status.status !== 2 && (
        <LoginPanel client={client} guid={guid} running={status.status === 1} events={events} people={people.available ? people.list : null} onChanged={changed} />
      )}
      <div class="columns">
        <EventsPanel client={client} guid={guid} events={events} state={state} detail={detail} />
        {people.available && (
          <SandboxPanel client={client} guid={guid} account={status?.status === 2 ? status.login_wxid ?? '' : ''} people={people} events={events} />
        )}
      </div>
    </div>
  );
}
