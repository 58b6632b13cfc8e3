// Our signatures verify with the reference Standard Webhooks implementation, one secret or two.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newSigningSecret, signatureHeader } from './signing.ts';

test('signatures verify with the standardwebhooks package, also during a rotation', () => {
  const [oldSecret, newSecret] = [newSigningSecret(), newSigningSecret()];
  assert.match(oldSecret, /^whsec_[A-Za-z0-9+/]+=*$/);
  const body = JSON.stringify({ guid: 'g', notify_type: 1010, data: { content: '你好' } });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader([newSecret, oldSecret], 'evt_1', timestamp, body) };
  assert.deepEqual(new Webhook(oldSecret).verify(body, headers), JSON.parse(body));
  assert.deepEqual(new Webhook(newSecret).verify(body, headers), JSON.parse(body));
  assert.throws(() => new Webhook(newSigningSecret()).verify(body, headers));
  assert.throws(() => new Webhook(oldSecret).verify(body.replace('你好', 'hi'), headers), 'a changed body fails');
});
