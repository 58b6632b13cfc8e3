// The instance's state and settings: start/stop/remove, notify URL, proxy (shown masked, as the server returns it), send queue.
import { WxgateError, type RequestOf, type WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { statusWord, type ClientStatus } from '../instances.ts';
import { useAction } from '../use-action.ts';
import { useReachable } from '../use-reachable.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { Who } from './Who.tsx';

/** The settings calls of this instance: the panel supplies the guid, then re-reads the status. */
type SettingsPath = '/client/restore_client' | '/client/stop_client' | '/client/set_notify_url' | '/client/set_proxy';

/** A notify URL the server's SSRF guard refused (a validation error on notify_url): local ones can be allowed. */
const refusedNotifyUrl = (err: unknown): boolean =>
  err instanceof WxgateError && (err.errors.some((e) => e.loc.includes('notify_url')) || /WXGATE_ALLOW_PRIVATE_URLS/.test(err.message));

interface Props {
  client: WxgateClient;
  guid: string;
  status: ClientStatus | null;
  /** A message sync failure (2006) waits for a restore. */
  syncBroken: boolean;
  onChanged: () => Promise<void>;
  onRestored: () => void;
  onRemoved: () => void;
}

export function InstancePanel({ client, guid, status, syncBroken, onChanged, onRestored, onRemoved }: Props) {
  const { t, locale } = useI18n();
  const action = useAction();
  const reachable = useReachable();
  // Nothing can be changed on a server that does not answer.
  const busy = action.busy || !reachable;
  const [notifyUrl, setNotifyUrl] = useState('');
  const [proxy, setProxy] = useState('');
  const [note, setNote] = useState('');
  const call = <P extends SettingsPath>(path: P, body: Omit<RequestOf<P>, 'guid'>) => action.run(async () => {
    setNote('');
    await client.request(path, { guid, ...body });
    await onChanged();
    return true;
  });
  const remove = () => {
    if (!confirm(t.instance.removeConfirm({ guid }))) return;
    void action.run(async () => {
      await client.call('/client/remove_client', { guid });
      onRemoved();
    });
  };
  const word = status ? statusWord(status) : 'unknown';
  const running = status !== null && status.status !== 0;
  // Restore starts a stopped instance; on a running one it only helps a broken session (2006).
  const canRestore = status !== null && (!running || syncBroken);
  const canStop = status !== null && running;
  const rate = status?.rate_limit;
  // Present only while the instance's send pacing is on (docs/pacing.md).
  const queue = status?.send_queue;

  return (
    <section class="card">
      <div class="row spread wrap">
        <h2 class="instance-title">{t.instance.title} <code class="small">{guid}</code></h2>
        <span data-testid="instance-status"><StatusBadge word={word} /></span>
      </div>
      {status && (
        <dl class="facts">
          <dt>{t.instance.account}</dt><dd>{status.login_wxid ? <Who wxid={status.login_wxid} /> : <span class="muted">{t.instance.notLoggedIn}</span>}</dd>
          <dt>{t.instance.notifyUrl}</dt><dd data-testid="notify-url">{status.notify_url || <span class="muted">{t.instance.none}</span>}</dd>
          <dt>{t.instance.proxy}</dt><dd>{status.proxy || <span class="muted">{t.instance.none}</span>}</dd>
          {rate && (
            <>
              <dt>{t.instance.rateLimit}</dt>
              <dd>
                {t.instance.rateUsage({ used: rate.used, limit: rate.limit })}
                {rate.locked && rate.unlock_time ? <> · {t.instance.rateLockedUntil({ time: new Date(rate.unlock_time * 1000).toLocaleTimeString(locale) })}</> : null}
              </dd>
            </>
          )}
          {queue && (
            <>
              <dt>{t.instance.sendQueue}</dt>
              <dd data-testid="send-queue">
                {t.instance.sendQueueLength({ count: queue.queue_length })}
                {queue.next_send_time ? <> · {t.instance.sendQueueNext({ time: new Date(queue.next_send_time * 1000).toLocaleTimeString(locale) })}</> : null}
              </dd>
            </>
          )}
        </dl>
      )}
      <div class="row wrap">
        <button onClick={() => call('/client/restore_client', {}).then((ok) => ok && onRestored())} disabled={busy || !canRestore}
          title={!canRestore && running ? t.instance.restoreWhileRunning : syncBroken ? t.instance.restoreAfterSyncFailure : undefined}>{t.instance.restore}</button>
        <button onClick={() => call('/client/stop_client', {})} disabled={busy || !canStop}
          title={status && !running ? t.instance.stopWhileStopped : undefined}>{t.instance.stop}</button>
        <button class="danger" onClick={remove} disabled={busy}>{t.instance.remove}</button>
      </div>
      <form class="row" onSubmit={(e) => {
        e.preventDefault();
        void call('/client/set_notify_url', { notify_url: notifyUrl.trim() }).then((ok) => ok && setNote(t.instance.notifyUrlSaved));
      }}>
        <input inputMode="url" placeholder={t.instance.notifyUrlPlaceholder} value={notifyUrl} onInput={(e) => setNotifyUrl(e.currentTarget.value)} aria-label={t.instance.notifyUrlLabel} />
        <button type="submit" disabled={busy}>{t.instance.setNotifyUrl}</button>
      </form>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void call('/client/set_proxy', { proxy: proxy.trim() }).then((ok) => ok && setProxy('')); }}>
        <input type="password" placeholder={t.instance.proxyPlaceholder} value={proxy} onInput={(e) => setProxy(e.currentTarget.value)} aria-label={t.instance.proxyLabel} autocomplete="off" />
        <button type="submit" disabled={busy}>{t.instance.setProxy}</button>
      </form>
      {note && <p class="muted small">{note}</p>}
      {action.error && <p class="error" role="alert" data-testid="instance-error">{action.error}</p>}
      {action.failure && refusedNotifyUrl(action.failure.err) && <p class="hint small" data-testid="private-url-hint">{t.instance.privateUrlHint}</p>}
    </section>
  );
}
