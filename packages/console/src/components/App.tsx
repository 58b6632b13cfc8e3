// The root: the language provider, then sign-in until credentials are known, then the signed-in shell.
import { useState } from 'preact/hooks';
import { I18nProvider } from '../i18n/use-i18n.tsx';
import { loadCredentials, saveCredentials, type Credentials } from '../session.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './SignIn.tsx';

export function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(loadCredentials);
  const signIn = (next: Credentials | null) => {
    saveCredentials(next);
    setCredentials(next);
  };
  return (
    <I18nProvider>
      {credentials ? <Shell credentials={credentials} onSignOut={() => signIn(null)} /> : <SignIn onSignIn={signIn} />}
    </I18nProvider>
  );
}
