// The signed-in console: top bar, the instance list beside the selected instance (one above the other on a phone,
// where the list gives way to the instance while one is open), and the "server unreachable" banner.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LanguageSwitch, useI18n } from '../i18n/use-i18n.tsx';
import { Reachability } from '../reachability.ts';
import { useRoute } from '../router.ts';
import { clientFor, type Credentials } from '../session.ts';
import { PeopleContext, usePeople } from '../use-people.ts';
import { ReachabilityContext, useReachable } from '../use-reachable.ts';
import { InstanceList } from './InstanceList.tsx';
import { InstanceView } from './InstanceView.tsx';

function Unreachable() {
  const { t } = useI18n();
  return useReachable() ? null : <p class="banner error" role="alert" data-testid="unreachable">{t.shell.unreachable({ origin: location.origin })}</p>;
}

export function Shell({ credentials, onSignOut }: { credentials: Credentials; onSignOut: () => void }) {
  const { t } = useI18n();
  const reachability = useMemo(() => new Reachability(location.origin), []);
  const client = useMemo(() => clientFor(credentials, reachability), [credentials, reachability]);
  const [guid, navigate] = useRoute();
  // Bumped whenever an instance changes (or the server is back), so the list re-reads statuses.
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  // Bumped by the open instance as its events arrive: people appear and log in through them.
  const [eventTick, setEventTick] = useState(0);
  const people = usePeople(client, `${eventTick}:${version}`);
  useEffect(() => reachability.subscribe((up) => { if (up) bump(); }), [reachability]);

  return (
    <ReachabilityContext.Provider value={reachability}>
      <PeopleContext.Provider value={people.names}>
        <div class={`layout ${guid ? 'has-selection' : ''}`}>
          <header class="topbar">
            <strong>{t.appTitle}</strong>
            <span class="muted app-key" title={credentials.appKey}>{t.shell.app({ appKey: credentials.appKey })}</span>
            <LanguageSwitch />
            <button class="link sign-out" onClick={() => { onSignOut(); navigate(null); }}>{t.shell.signOut}</button>
          </header>
          <Unreachable />
          <aside class="sidebar">
            <InstanceList client={client} selected={guid} onSelect={navigate} version={version} />
          </aside>
          <main class="content">
            {guid ? (
              <>
                <button class="link back" onClick={() => navigate(null)}>{t.shell.backToList}</button>
                <InstanceView key={guid} client={client} guid={guid} people={people} reachability={reachability}
                  onEvents={setEventTick} onChanged={bump} onRemoved={() => { navigate(null); bump(); }} />
              </>
            ) : <p class="muted">{t.shell.selectInstance}</p>}
          </main>
        </div>
      </PeopleContext.Provider>
    </ReachabilityContext.Provider>
  );
}
