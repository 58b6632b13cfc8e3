// Sign-in form: app key and secret, checked with one API call before they are kept for the tab.
import { WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import type { Credentials } from '../session.ts';
import { useAction } from '../use-action.ts';

export function SignIn({ onSignIn }: { onSignIn: (credentials: Credentials) => void }) {
  const [appKey, setAppKey] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const action = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const credentials = { appKey: appKey.trim(), appSecret: appSecret.trim() };
      await new WxgateClient({ baseUrl: location.origin, ...credentials }).call('/client/all_clients', {});
      onSignIn(credentials);
    });
  };

  return (
    <form class="signin card" onSubmit={submit}>
      <h1>wxgate console</h1>
      <p class="muted">Sign in with your app's credentials (printed at first start and in data/credentials.json).</p>
      <label>App key<input name="app_key" value={appKey} onInput={(e) => setAppKey(e.currentTarget.value)} autocomplete="username" required /></label>
      <label>App secret<input name="app_secret" type="password" value={appSecret} onInput={(e) => setAppSecret(e.currentTarget.value)} autocomplete="current-password" required /></label>
      <button type="submit" disabled={action.busy}>Sign in</button>
      {action.error && <p class="error">{action.error}</p>}
    </form>
  );
}
