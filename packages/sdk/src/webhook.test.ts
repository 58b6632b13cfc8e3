// verifyWebhook against signatures made by the reference Standard Webhooks library and by signWebhook.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { signWebhook, verifyWebhook, WebhookVerificationError, type WebhookErrorReason } from './webhook.ts';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('another secret of 32 bytes......').toString('base64')}`;
const BODY = '{"guid":"7092457f-325f-3b3a-bf8e-a30b4dcaf74b","notify_type":1010,"data":{"content":"你好"}}';
const NOW = 1_772_989_978;

function headersFor(body: string, secret = SECRET, at = NOW): Record<string, string> {
  const id = 'evt_0001';
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': new Webhook(secret).sign(id, new Date(at * 1000), body) };
}

const rejects = (p: Promise<unknown>, reason: WebhookErrorReason) =>
  assert.rejects(p, (e: unknown) => e instanceof WebhookVerificationError && e.reason === reason);

describe('verifyWebhook', () => {
  test('accepts what standardwebhooks signs, and signs what it accepts', async () => {
    const event = await verifyWebhook(headersFor(BODY), BODY, SECRET, { now: NOW });
    assert.equal(event.notify_type, 1010);
    const ours = await signWebhook(SECRET, 'evt_0001', NOW, BODY);
    assert.equal(ours, headersFor(BODY)['webhook-signature']);
  });

  test('rejects a tampered body, a wrong secret and another event id', async () => {
    await rejects(verifyWebhook(headersFor(BODY), BODY.replace('你好', '你坏'), SECRET, { now: NOW }), 'bad_signature');
    await rejects(verifyWebhook(headersFor(BODY), BODY, OTHER, { now: NOW }), 'bad_signature');
    await rejects(verifyWebhook({ ...headersFor(BODY), 'webhook-id': 'evt_0002' }, BODY, SECRET, { now: NOW }), 'bad_signature');
  });

  test('timestamps beyond the tolerance either way are replays or skew', async () => {
    await rejects(verifyWebhook(headersFor(BODY), BODY, SECRET, { now: NOW + 301 }), 'stale_timestamp');
    await rejects(verifyWebhook(headersFor(BODY), BODY, SECRET, { now: NOW - 301 }), 'stale_timestamp');
    await verifyWebhook(headersFor(BODY), BODY, SECRET, { now: NOW + 300 });
    await verifyWebhook(headersFor(BODY), BODY, SECRET, { now: NOW + 3600, toleranceSeconds: 3600 });
    await rejects(verifyWebhook({ ...headersFor(BODY), 'webhook-timestamp': '12ab' }, BODY, SECRET, { now: NOW }), 'bad_timestamp');
  });

  test('any one of several signatures or secrets may match (rotation); unknown versions are skipped', async () => {
    const headers = headersFor(BODY);
    const other = headersFor(BODY, OTHER)['webhook-signature'];
    const several = { ...headers, 'webhook-signature': `v2,abc v1,!!notbase64 ${other} ${headers['webhook-signature']}` };
    await verifyWebhook(several, BODY, SECRET, { now: NOW });
    await verifyWebhook(headers, BODY, [OTHER, SECRET], { now: NOW });
    await rejects(verifyWebhook({ ...headers, 'webhook-signature': 'v2,abc' }, BODY, SECRET, { now: NOW }), 'bad_signature');
  });

  test('headers in any case, as Headers, or as arrays; bytes as the body', async () => {
    const h = headersFor(BODY);
    const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), [v]]));
    await verifyWebhook(upper, BODY, SECRET, { now: NOW });
    await verifyWebhook(new Headers(h), new TextEncoder().encode(BODY), SECRET, { now: NOW });
    await rejects(verifyWebhook({}, BODY, SECRET, { now: NOW }), 'missing_headers');
  });

  test('a secret that is not base64 is a usage error; a signed body that is not JSON is reported', async () => {
    await rejects(verifyWebhook(headersFor(BODY), BODY, 'whsec_', { now: NOW }), 'bad_secret');
    await rejects(verifyWebhook(headersFor('not json'), 'not json', SECRET, { now: NOW }), 'bad_body');
  });
});
