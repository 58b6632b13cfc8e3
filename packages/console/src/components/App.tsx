// The shell: sign-in until credentials are known, then the instance list beside the selected instance.
import { useMemo, useState } from 'preact/hooks';
import { useRoute } from '../router.ts';
import { clientFor, loadCredentials, saveCredentials, type Credentials } from '../session.ts';
import { InstanceList } from './InstanceList.tsx';
import { InstanceView } from './InstanceView.tsx';
import { SignIn } from './SignIn.tsx';

export function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(loadCredentials);
  const client = useMemo(() => (credentials ? clientFor(credentials) : null), [credentials]);
  const [guid, navigate] = useRoute();
  // Bumped whenever an instance changes, so the list re-reads statuses.
  const [version, setVersion] = useState(0);

  const signIn = (next: Credentials | null) => {
    saveCredentials(next);
    setCredentials(next);
  };

  if (!client || !credentials) return <SignIn onSignIn={signIn} />;
  return (
    <div class="layout">
      <header class="topbar">
        <strong>wxgate console</strong>
        <span class="muted">app {credentials.appKey}</span>
        <button class="link" onClick={() => { signIn(null); navigate(null); }}>Sign out</button>
      </header>
      <aside class="sidebar">
        <InstanceList client={client} selected={guid} onSelect={navigate} version={version} />
      </aside>
      <main class="content">
        {guid
          ? <InstanceView key={guid} client={client} guid={guid} onChanged={() => setVersion((v) => v + 1)} onRemoved={() => { navigate(null); setVersion((v) => v + 1); }} />
          : <p class="muted">Select an instance, or create one.</p>}
      </main>
    </div>
  );
}
