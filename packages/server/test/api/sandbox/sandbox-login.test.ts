// The sandbox's login through HTTP: every QR branch, device verification, logout, faults and restore, the PNG a person
// would scan, the callbacks in the outbox, and a logged-in session that survives a restart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startHarness, type Harness } from '../../harness.ts';
import { ok } from '../../sandbox-helpers.ts';

type QrDecoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const decoder = ((jsQR as unknown as { default?: QrDecoder }).default ?? jsQR) as unknown as QrDecoder;
function decodeQr(base64: string): string | undefined {
  const png = PNG.sync.read(Buffer.from(base64, 'base64'));
  return decoder(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

const outbox = async (h: Harness, guid: string) => h.app.store.events.list({ guid, afterSn: 0, limit: 1000 });
const notifyTypesOf = async (h: Harness, guid: string) => (await outbox(h, guid)).map((e) => e.notifyType);
const status = async (h: Harness, guid: string) => (await h.direct('/client/get_client_status', { guid })).body.data.status as number;

describe('sandbox login over HTTP', () => {
  test('confirm: a scannable PNG, 0 → 1 → 2, status 2 only while logged in, login callbacks in the outbox', async () => {
    const h = await startHarness();
    try {
      const guid = await h.createInstance();
      assert.equal(await status(h, guid), 1);
      const qr = await ok(h.direct('/login/get_login_qrcode', { guid }));
      assert.match(qr.qrcode_content, /^http:\/\/weixin\.qq\.com\/x\/[\w-]{20}$/);
      assert.equal(decodeQr(qr.qrcode), qr.qrcode_content, 'the PNG decodes to qrcode_content');
      assert.equal(qr.expire_seconds, 300);
      assert.equal(qr.expired_time, Math.floor(h.clock.now() / 1000) + 300);
      assert.equal((await ok(h.direct('/login/check_login_qrcode', { guid }))).status, 0);

      const scanned = await ok(h.gateway('/sandbox/login/scan', { guid, action: 'scan' }));
      assert.match(scanned.wxid, /^wxid_[a-z0-9]{14}$/, 'no wxid: a new person scans');
      const polled = await ok(h.direct('/login/check_login_qrcode', { guid }));
      assert.deepEqual([polled.status, polled.nick_name], [1, scanned.nick_name]);
      assert.equal(await status(h, guid), 1);

      await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
      assert.equal((await ok(h.direct('/login/check_login_qrcode', { guid }))).status, 2);
      assert.equal(await status(h, guid), 2);
      const client = await ok(h.direct('/client/get_client_status', { guid }));
      assert.equal(client.login_wxid, scanned.wxid);
      assert.deepEqual(await notifyTypesOf(h, guid), [1002, 1002, 1002, 1003, 1001, 1005, 1009]);
      const login = (await outbox(h, guid))[3]!.data as { wxid: string; nick_name: string };
      assert.deepEqual([login.wxid, login.nick_name], [scanned.wxid, scanned.nick_name]);

      const profile = await ok(h.direct('/user/get_profile', { guid }));
      assert.equal(profile.userInfo.userName.string, scanned.wxid);
      assert.deepEqual(profile.baseResponse, { ret: 0, errMsg: {} });

      const again = await h.direct('/login/get_login_qrcode', { guid });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 40912);

      await ok(h.direct('/user/logout', { guid }));
      assert.equal(await status(h, guid), 1);
      assert.equal((await notifyTypesOf(h, guid)).at(-1), 1004);
      const gone = await h.direct('/user/get_profile', { guid });
      assert.deepEqual([gone.status, gone.body.code], [409, 40902]);
    } finally {
      await h.close();
    }
  });

  test('cancel, expiry by the clock, and device verification with a wrong then the right pin', async () => {
    const h = await startHarness();
    try {
      const guid = await h.createInstance();
      const person = await ok(h.direct('/sandbox/people/create', { nickname: '验证者' }));

      await ok(h.direct('/login/get_login_qrcode', { guid }));
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid: person.wxid }));
      const early = await h.direct('/sandbox/login/scan', { guid, action: 'scan' });
      assert.deepEqual([early.status, early.body.code], [409, 40917], 'scanning twice is out of order');
      assert.equal((await ok(h.direct('/sandbox/login/scan', { guid, action: 'cancel' }))).status, 4);
      assert.equal((await ok(h.direct('/login/check_login_qrcode', { guid }))).status, 4);

      await ok(h.direct('/login/get_login_qrcode', { guid }));
      h.clock.advance(301_000);
      assert.equal((await ok(h.direct('/login/check_login_qrcode', { guid }))).status, 4);
      const late = await h.direct('/sandbox/login/scan', { guid, action: 'scan' });
      assert.equal(late.status, 409);
      assert.equal(await status(h, guid), 1);

      await ok(h.direct('/login/get_login_qrcode', { guid }));
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid: person.wxid }));
      const phone = await ok(h.direct('/sandbox/login/scan', { guid, action: 'verify' }));
      assert.match(phone.pin, /^\d{6}$/);
      const pending = await ok(h.direct('/login/check_login_qrcode', { guid }));
      assert.equal(pending.status, 1);
      const ticket = new URL(pending.auth_url).searchParams.get('ticket');
      assert.equal(ticket, phone.ticket);

      const wrong = await h.direct('/login/verify_login_url', { guid, ticket, pin: phone.pin === '000000' ? '111111' : '000000' });
      assert.deepEqual([wrong.status, wrong.body.code], [403, 40310]);
      assert.equal(wrong.body.data.baseResponse.ret, -32);
      assert.equal(await status(h, guid), 1, 'a wrong pin changes nothing');
      await ok(h.direct('/login/verify_login_url', { guid, ticket, pin: phone.pin }));
      assert.equal(await status(h, guid), 2);
      const statuses = (await outbox(h, guid)).filter((e) => e.notifyType === 1002).map((e) => (e.data as { status: number }).status);
      assert.deepEqual(statuses, [0, 1, 4, 0, 4, 0, 1, 1, 2]);
    } finally {
      await h.close();
    }
  });

  test('faults through the control API; sync failure is cleared by restore_client; /sandbox calls never count against the quota', async () => {
    const h = await startHarness({ rateLimit: { maxCalls: 5, windowSeconds: 60, lockSeconds: 1800 } });
    try {
      const guid = await h.createInstance();
      // Eight control calls, none counted: only the vendor calls are.
      await h.direct('/login/get_login_qrcode', { guid });
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan' }));
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
      assert.deepEqual((await ok(h.direct('/sandbox/faults/inject', { guid, fault: 'heartbeat_error' }))).notify_types, [1006]);
      assert.deepEqual((await ok(h.direct('/sandbox/faults/inject', { guid, fault: 'sync_failed' }))).notify_types, [2006]);
      for (let i = 0; i < 4; i++) await ok(h.direct('/sandbox/people/list', {}));
      const blocked = await h.direct('/user/get_profile', { guid });
      assert.deepEqual([blocked.status, blocked.body.code], [409, 40916]);
      assert.equal((await ok(h.direct('/client/get_client_status', { guid }))).rate_limit.used, 3);

      await ok(h.direct('/client/restore_client', { guid }));
      assert.equal(await status(h, guid), 2, 'restore resumes the logged-in session');
      // The instance is now at its limit (5 counted calls): the next vendor call locks it; the world can still be driven.
      assert.equal((await h.direct('/user/get_profile', { guid })).status, 429);
      assert.deepEqual((await ok(h.direct('/sandbox/faults/inject', { guid, fault: 'session_timeout' }))).notify_types, [1007, 1004]);
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.login_wxid, '');
      const notLoggedIn = await h.direct('/sandbox/faults/inject', { guid, fault: 'logout' });
      assert.deepEqual([notLoggedIn.status, notLoggedIn.body.code], [409, 40902]);
    } finally {
      await h.close();
    }
  });

  test('the world and a logged-in session survive a restart; push_login_url brings the last account back', async () => {
    let h = await startHarness();
    try {
      const guid = await h.createInstance();
      await ok(h.direct('/login/get_login_qrcode', { guid }));
      const me = await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan' }));
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
      const friend = await ok(h.direct('/sandbox/people/create', { nickname: '老朋友', friends: [me.wxid] }));

      h = await h.restart();
      assert.equal(await status(h, guid), 2);
      assert.equal((await ok(h.direct('/user/get_profile', { guid }))).userInfo.userName.string, me.wxid);
      const contacts = await ok(h.direct('/contact/init_contact', { guid }));
      assert.deepEqual(contacts.contactUsernameList, [friend.wxid]);
      const people = await ok(h.direct('/sandbox/people/list', {}));
      assert.equal(people.total, 2);
      assert.deepEqual(people.people.map((p: { kind: string; logged_in_guid: string }) => [p.kind, p.logged_in_guid]), [['account', guid], ['simulated', '']]);

      await ok(h.direct('/user/logout', { guid }));
      const pushed = await ok(h.direct('/login/push_login_url', { guid }));
      assert.ok(pushed.uuid);
      assert.equal((await ok(h.direct('/login/check_login_qrcode', { guid }))).nick_name, me.nick_name);
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm', wxid: me.wxid }));
      assert.equal(await status(h, guid), 2);
    } finally {
      await h.close();
    }
  });
});
