// Helpers for API tests against the sandbox: successful-call unwrapping, logged-in accounts, the raw outbox.
import assert from 'node:assert/strict';
import type { Harness } from './harness.ts';

export type Creds = { appKey: string; appSecret: string };

/** The `data` of a call that must succeed (HTTP 200), failing the test with the body otherwise. */
export async function ok(res: Promise<{ status: number; body: any; text: string }>): Promise<any> {
  const r = await res;
  assert.equal(r.status, 200, r.text);
  return r.body.data;
}

/** An instance with a new person logged in on it (acting as the phone through /sandbox/login/scan). */
export async function loggedIn(h: Harness, person: Record<string, unknown> = {}, creds?: Creds): Promise<{ guid: string; wxid: string }> {
  const guid = await h.createInstance({ auto_start: true }, creds);
  const { wxid } = await ok(h.direct('/sandbox/people/create', person, creds));
  await ok(h.direct('/login/get_login_qrcode', { guid }, creds));
  await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid }, creds));
  await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }, creds));
  return { guid, wxid };
}

/** Alice and Bob logged in and friends; Bob's callbacks go to `notifyUrl` (a test receiver). */
export async function friendsAliceAndBob(h: Harness, notifyUrl: string): Promise<{ a: { guid: string; wxid: string }; b: { guid: string; wxid: string } }> {
  const a = await loggedIn(h, { nickname: 'Alice' });
  const b = await loggedIn(h, { nickname: 'Bob' });
  await ok(h.direct('/client/set_notify_url', { guid: b.guid, notify_url: notifyUrl }));
  await ok(h.direct('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid }));
  await ok(h.direct('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid }));
  return { a, b };
}

/** Every event recorded for an instance, oldest first. */
/** A new simulated person who is already `wxid`'s friend (no verification asked), so messages flow both ways. */
export async function friendOf(h: Harness, wxid: string, nickname: string): Promise<string> {
  const { wxid: friend } = await ok(h.direct('/sandbox/people/create', { nickname, needs_verification: false }));
  await ok(h.direct('/sandbox/friend/request', { from_wxid: wxid, to_wxid: friend }));
  return friend;
}

export const outbox = (h: Harness, guid: string) => h.app.store.events.list({ guid, afterSn: 0, limit: 10_000 });

/** Alice and Bob, friends (made through `h`); Alice's instance is paced with `settings` (/client/set_send_pacing). */
export async function pacedPair(h: Harness, settings: Record<string, unknown>): Promise<{ a: { guid: string; wxid: string }; b: { guid: string; wxid: string } }> {
  const a = await loggedIn(h, { nickname: 'Alice' });
  const b = await loggedIn(h, { nickname: 'Bob' });
  await ok(h.direct('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid }));
  await ok(h.direct('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid }));
  await ok(h.direct('/client/set_send_pacing', { guid: a.guid, ...settings }));
  return { a, b };
}
