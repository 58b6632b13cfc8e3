// The ilink driver's QR login beyond scan and confirm, against a second wxgate serving iLink over its sandbox (real
// sockets): need_verifycode with the pin through /login/verify_login_url (a wrong ticket, a wrong pin, the right one),
// verify_code_blocked → 4, scaned_but_redirect (polling continues at the redirect_host: a second listener in front of the
// same server, which counts what reaches it), the driver's own expiry → 4; and, from a scripted iLink server (wxgate's
// never answers them to this driver), binded_redirect and expired → 4.
import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ILINK_QR_LIFETIME_MS } from './ilink-login.ts';
import { expectError } from '../conformance/subject.ts';
import { FakeIlink } from '../../../test/fake-ilink.ts';
import { startHarness, type Harness } from '../../../test/harness.ts';
import { ilinkRig, type IlinkRig } from '../../../test/ilink-driver-rig.ts';
import { loggedIn, ok } from '../../../test/sandbox-helpers.ts';
import { MAX_VERIFY_FAILURES } from '../../core/ilink/ilink-qr.ts';

type QrState = { status: number; auth_url?: string; wxid?: string };

const ticketOf = (state: QrState) => new URL(state.auth_url!).searchParams.get('ticket')!;
const statuses = (rig: IlinkRig) => rig.events().filter((e) => e.notifyType === 1002).map((e) => (e.data as QrState).status);

/** A TCP forwarder to `port`: another listener for the same server; it counts the QR status polls that reach it. */
async function forwarder(port: number): Promise<{ server: Server; host: string; polls: () => number }> {
  let polls = 0;
  const server = createServer((socket) => {
    const upstream = connect(port, '127.0.0.1');
    socket.on('data', (chunk: Buffer) => {
      polls += chunk.toString('latin1').split('GET /ilink/bot/get_qrcode_status').length - 1;
    });
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, polls: () => polls };
}

describe('the ilink driver\'s login states against wxgate\'s iLink server', () => {
  let upstream: Harness;
  let url: string;
  let phoneGuid: string;
  let me: string;
  const phone = (qrcode: string, action: string, extra: Record<string, unknown> = {}) =>
    ok(upstream.direct('/ilink/scan_qrcode', { guid: phoneGuid, qrcode, action, ...extra }));

  before(async () => {
    upstream = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 60 } }, undefined, { realTime: true });
    url = await upstream.app.http.listen({ host: '127.0.0.1', port: 0 });
    ({ guid: phoneGuid, wxid: me } = await loggedIn(upstream, { nickname: 'Agent' }));
  });
  after(async () => upstream?.close());

  /** A driver with a QR login the phone has scanned. */
  async function scanned(extra: Record<string, unknown> = {}) {
    const rig = await ilinkRig(url);
    await rig.call('/login/get_login_qrcode', {});
    await phone(rig.qr().qrcode, 'scan', extra);
    await rig.until('the scan', () => rig.qr().status === 1);
    return rig;
  }

  /** Confirms with a verification code; answers the check_login_qrcode state that asks for it. */
  async function askedForCode(rig: IlinkRig): Promise<QrState> {
    await phone(rig.qr().qrcode, 'confirm', { verify_code: '482913' });
    let state: QrState = { status: 0 };
    await rig.until('need_verifycode', async () => Boolean((state = await rig.call('/login/check_login_qrcode', {}) as QrState).auth_url));
    return state;
  }

  test('need_verifycode: status 1 with auth_url; a wrong ticket is refused, a wrong pin asks again, the right pin logs in', async () => {
    const rig = await scanned();
    try {
      const asked = await askedForCode(rig);
      assert.equal(asked.status, 1);
      assert.match(asked.auth_url!, /^wxgate:\/\/ilink\/verify_code\?ticket=[0-9a-f]{32}$/);
      await expectError(rig.call('/login/verify_login_url', { ticket: 'f'.repeat(32), pin: '482913' }), 'LOGIN_TICKET_INVALID');
      await rig.call('/login/verify_login_url', { ticket: ticketOf(asked), pin: '000000' });
      let again: QrState = asked;
      await rig.until('the wrong pin\'s answer', async () => ticketOf(again = await rig.call('/login/check_login_qrcode', {}) as QrState) !== ticketOf(asked));
      assert.equal(again.status, 1, 'a wrong pin: still asked for the code');
      assert.equal(rig.loginOf(), null);
      await rig.call('/login/verify_login_url', { ticket: ticketOf(again), pin: '482913' });
      await rig.until('the login', () => rig.loginOf() !== null);
      const done = await rig.call('/login/check_login_qrcode', {}) as QrState;
      assert.deepEqual([done.status, done.wxid, done.auth_url], [2, me, undefined]);
      assert.ok(statuses(rig).includes(2));
      await expectError(rig.call('/login/verify_login_url', { ticket: ticketOf(again), pin: '482913' }), 'NO_LOGIN_IN_PROGRESS');
    } finally {
      await rig.close();
    }
  });

  test(`verify_code_blocked after ${MAX_VERIFY_FAILURES} wrong pins: status 4, nobody logged in`, async () => {
    const rig = await scanned();
    try {
      let state = await askedForCode(rig);
      for (let i = 0; i < MAX_VERIFY_FAILURES; i++) {
        const ticket = ticketOf(state);
        await rig.call('/login/verify_login_url', { ticket, pin: `99${i}9` });
        await rig.until(`wrong pin ${i + 1}`, async () => {
          state = await rig.call('/login/check_login_qrcode', {}) as QrState;
          return state.status === 4 || ticketOf(state) !== ticket;
        });
      }
      assert.equal(state.status, 4);
      assert.equal(statuses(rig).at(-1), 4);
      assert.equal(rig.loginOf(), null);
      await expectError(rig.call('/msg/send_text', { to_username: me, content: 'x' }), 'NOT_LOGGED_IN');
    } finally {
      await rig.close();
    }
  });

  test('scaned_but_redirect: status 1, and the status polls go to redirect_host from then on, through to the login', async () => {
    const other = await forwarder(Number(new URL(url).port));
    const rig = await ilinkRig(url);
    try {
      await rig.call('/login/get_login_qrcode', {});
      assert.deepEqual(await phone(rig.qr().qrcode, 'scan', { redirect_host: other.host }), { status: 'scaned_but_redirect', bot_id: null });
      await rig.until('the redirected scan', () => rig.qr().status === 1);
      await rig.until('a poll at the redirect host', () => other.polls() > 0);
      await phone(rig.qr().qrcode, 'confirm');
      await rig.until('the login', () => rig.loginOf() === me);
      assert.deepEqual(statuses(rig), [0, 1, 2]);
    } finally {
      await rig.close();
      other.server.close();
    }
  });

  test('a code the phone leaves alone expires on the driver\'s clock: status 4 with a 1002', async () => {
    const rig = await scanned();
    try {
      rig.clock.advance(ILINK_QR_LIFETIME_MS);
      assert.equal((await rig.call('/login/check_login_qrcode', {})).status, 4);
      assert.deepEqual(statuses(rig), [0, 1, 4]);
      // The watch has ended: a confirmation on the phone now logs nobody in here.
      await phone(rig.qr().qrcode, 'confirm');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(rig.loginOf(), null);
    } finally {
      await rig.close();
    }
  });
});

describe('the ilink driver\'s login states from a scripted iLink server', () => {
  for (const status of ['binded_redirect', 'expired', 'verify_code_blocked'] as const) {
    test(`${status}: status 4 with a 1002, nobody logged in, the watch ends`, async () => {
      const fake = new FakeIlink();
      const rig = await ilinkRig(await fake.start());
      try {
        fake.qrStatuses.push({ status: 'scaned' }, status === 'binded_redirect'
          ? { status, ilink_bot_id: 'b1@im.bot', ilink_user_id: 'u1@im.wechat', baseurl: fake.url }
          : { status });
        await rig.call('/login/get_login_qrcode', {});
        await rig.until(status, () => rig.qr().status === 4);
        assert.deepEqual(statuses(rig), [0, 1, 4]);
        assert.equal(rig.loginOf(), null);
        const polls = fake.requests.filter((r) => r.path === '/ilink/bot/get_qrcode_status').length;
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(fake.requests.filter((r) => r.path === '/ilink/bot/get_qrcode_status').length, polls, 'no poll after a settled status');
      } finally {
        await rig.close();
        await fake.close();
      }
    });
  }
});
