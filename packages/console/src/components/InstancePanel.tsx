// The instance's state and settings: start/stop/remove, notify URL, proxy (shown masked, as the server returns it).
import type { RequestOf, WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { statusWord, type ClientStatus } from '../instances.ts';
import { useAction } from '../use-action.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** The settings calls of this instance: the panel supplies the guid, then re-reads the status. */
type SettingsPath = '/client/restore_client' | '/client/stop_client' | '/client/set_notify_url' | '/client/set_proxy';

interface Props {
  client: WxgateClient;
  guid: string;
  status: ClientStatus | null;
  onChanged: () => Promise<void>;
  onRemoved: () => void;
}

export function InstancePanel({ client, guid, status, onChanged, onRemoved }: Props) {
  const action = useAction();
  const [notifyUrl, setNotifyUrl] = useState('');
  const [proxy, setProxy] = useState('');
  const call = <P extends SettingsPath>(path: P, body: Omit<RequestOf<P>, 'guid'>) => action.run(async () => {
    await client.request(path, { guid, ...body });
    await onChanged();
  });
  const remove = () => {
    if (!confirm(`Remove instance ${guid}? Its account is logged out and its events are deleted.`)) return;
    void action.run(async () => {
      await client.call('/client/remove_client', { guid });
      onRemoved();
    });
  };
  const word = status ? statusWord(status) : 'unknown';

  return (
    <section class="card">
      <div class="row spread">
        <h2>Instance <code class="small">{guid}</code></h2>
        <span data-testid="instance-status"><StatusBadge word={word} /></span>
      </div>
      {status && (
        <dl class="facts">
          <dt>Account</dt><dd>{status.login_wxid || <span class="muted">not logged in</span>}</dd>
          <dt>Notify URL</dt><dd>{status.notify_url || <span class="muted">none</span>}</dd>
          <dt>Proxy</dt><dd>{status.proxy || <span class="muted">none</span>}</dd>
          {status.rate_limit && <><dt>Rate limit</dt><dd>{status.rate_limit.used}/{status.rate_limit.limit} calls{status.rate_limit.locked && status.rate_limit.unlock_time ? `, locked until ${new Date(status.rate_limit.unlock_time * 1000).toLocaleTimeString()}` : ''}</dd></>}
        </dl>
      )}
      <div class="row">
        <button onClick={() => call('/client/restore_client', {})} disabled={action.busy}>Restore (start)</button>
        <button onClick={() => call('/client/stop_client', {})} disabled={action.busy}>Stop</button>
        <button class="danger" onClick={remove} disabled={action.busy}>Remove</button>
      </div>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void call('/client/set_notify_url', { notify_url: notifyUrl.trim() }); }}>
        <input placeholder="https://bot.example.com/wechat/callback" value={notifyUrl} onInput={(e) => setNotifyUrl(e.currentTarget.value)} aria-label="notify URL" />
        <button type="submit" disabled={action.busy}>Set notify URL</button>
      </form>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void call('/client/set_proxy', { proxy: proxy.trim() }).then(() => setProxy('')); }}>
        <input type="password" placeholder="socks5://user:pass@host:port (empty = none)" value={proxy} onInput={(e) => setProxy(e.currentTarget.value)} aria-label="proxy" autocomplete="off" />
        <button type="submit" disabled={action.busy}>Set proxy</button>
      </form>
      {action.error && <p class="error">{action.error}</p>}
    </section>
  );
}
