// Sign-in form: app key and secret, checked with one API call before they are kept for the tab.
import { WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { LanguageSwitch, useI18n } from '../i18n/use-i18n.tsx';
import type { Credentials } from '../session.ts';
import { useAction } from '../use-action.ts';

export function SignIn({ onSignIn }: { onSignIn: (credentials: Credentials) => void }) {
  const { t } = useI18n();
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
      <div class="row spread wrap">
        <h1>{t.appTitle}</h1>
        <LanguageSwitch />
      </div>
      <p class="muted">{t.signIn.hint}</p>
      <label>{t.signIn.appKey}<input name="app_key" value={appKey} onInput={(e) => setAppKey(e.currentTarget.value)} autocomplete="username" required /></label>
      <label>{t.signIn.appSecret}<input name="app_secret" type="password" value={appSecret} onInput={(e) => setAppSecret(e.currentTarget.value)} autocomplete="current-password" required /></label>
      <button type="submit" disabled={action.busy}>{t.signIn.submit}</button>
      {action.error && <p class="error" role="alert">{action.error}</p>}
    </form>
  );
}
