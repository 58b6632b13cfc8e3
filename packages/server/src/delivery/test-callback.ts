// The /events/test probe: one signed callback sent now, outside the log, with the receiver's answer reported back.
import type { UrlGuard } from '../core/egress/url-guard.ts';
import type { InstanceRecord } from '../storage/ports.ts';
import type { SigningKeys } from './signing-keys.ts';
import { signatureHeader } from './signing.ts';
import { postJson, type SendResult } from './webhook-sender.ts';

export async function sendTestCallback(
  instance: InstanceRecord,
  deps: { keys: SigningKeys; guard: UrlGuard; timeoutMs: number; now: () => number; id: string },
): Promise<SendResult> {
  const body = JSON.stringify({
    guid: instance.guid,
    notify_type: 0,
    data: { test: true, message: 'wxgate test callback: answer 2xx to acknowledge', sent_at: Math.floor(deps.now() / 1000) },
  });
  const timestamp = Math.floor(deps.now() / 1000);
  const secrets = await deps.keys.active(instance.appId);
  return postJson(instance.notifyUrl, body, {
    'webhook-id': deps.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(secrets, deps.id, timestamp, body),
    'x-wxgate-sn': '0',
  }, { timeoutMs: deps.timeoutMs, guard: deps.guard, now: deps.now });
}
