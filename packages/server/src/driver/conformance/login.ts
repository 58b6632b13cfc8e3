// Conformance: logging in (every QR branch, device verification, pushed re-login), the account, logout and faults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  call, decodeQrPng, eventsSince, expectError, logIn, notifyTypes, wechatRet, type ConformanceSubject, type Make, withSubject,
} from './subject.ts';


export function loginConformance(make: Make): void {
  test('QR login, confirmed: a real PNG of http://weixin.qq.com/x/<token>, 0 → 1 → 2 and the login callbacks', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const qr = await call(a.session, '/login/get_login_qrcode', {});
    assert.match(qr.qrcode_content, /^http:\/\/weixin\.qq\.com\/x\/[\w-]+$/);
    assert.equal(decodeQrPng(qr.qrcode), qr.qrcode_content, 'the PNG decodes to qrcode_content');
    assert.ok(qr.uuid && qr.qrcode_content.endsWith(qr.uuid));
    assert.ok((qr.expired_time ?? 0) > 0);
    assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 0);

    const person = await s.phone.createPerson({ nickname: '扫码人' });
    await s.phone.scan(a.guid, person.wxid);
    const scanned = await call(a.session, '/login/check_login_qrcode', {});
    assert.equal(scanned.status, 1);
    assert.equal(scanned.nick_name, '扫码人');
    assert.ok(scanned.head_img_url);
    assert.equal(s.loginOf(a.guid), null, 'scanned is not logged in');

    await s.phone.confirm(a.guid);
    const confirmed = await call(a.session, '/login/check_login_qrcode', {});
    assert.equal(confirmed.status, 2);
    assert.equal(confirmed.wxid, person.wxid);
    assert.equal(s.loginOf(a.guid), person.wxid);
    assert.deepEqual(notifyTypes(s.events(a.guid)), [1002, 1002, 1002, 1003, 1001, 1005, 1009]);
    assert.deepEqual(s.events(a.guid).slice(0, 3).map((e) => (e.data as { status: number }).status), [0, 1, 2]);
    assert.equal((s.events(a.guid)[3]!.data as { wxid: string }).wxid, person.wxid);

    const profile = await call(a.session, '/user/get_profile', {});
    assert.equal(profile.baseResponse.ret, 0);
    assert.equal(profile.userInfo.userName.string, person.wxid);
    assert.equal(profile.userInfo.nickName.string, '扫码人');
    assert.ok(profile.userInfoExt.smallHeadImgUrl);
    await expectError(call(a.session, '/login/get_login_qrcode', {}), 'ALREADY_LOGGED_IN');
  }));

  test('QR login, cancelled on the phone: status 4, nobody logged in', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await call(a.session, '/login/get_login_qrcode', {});
    await s.phone.scan(a.guid);
    await s.phone.cancel(a.guid);
    assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 4);
    assert.equal(s.loginOf(a.guid), null);
    await expectError(call(a.session, '/user/get_profile', {}), 'NOT_LOGGED_IN');
    assert.deepEqual(notifyTypes(s.events(a.guid)), [1002, 1002, 1002]);
  }));

  test('QR login, expired by the clock: status 4, and the phone can no longer scan it', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await call(a.session, '/login/get_login_qrcode', {});
    s.advance(10 * 60_000);
    assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 4);
    await assert.rejects(s.phone.scan(a.guid));
    assert.equal(s.loginOf(a.guid), null);
    assert.equal((s.events(a.guid).at(-1)!.data as { status: number }).status, 4);
    // A new code works again.
    await logIn(s, a);
  }));

  test('device verification: status 1 with auth_url; a wrong pin is refused and changes nothing; the right one logs in', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await call(a.session, '/login/get_login_qrcode', {});
    const person = await s.phone.scan(a.guid);
    const { pin } = await s.phone.confirmWithVerification(a.guid);
    const pending = await call(a.session, '/login/check_login_qrcode', {});
    assert.equal(pending.status, 1);
    const ticket = new URL(pending.auth_url!).searchParams.get('ticket');
    assert.ok(ticket, 'auth_url carries the ticket');

    const before = s.events(a.guid).length;
    const wrongPin = String((Number(pin) + 1) % 1_000_000).padStart(6, '0');
    const refused = await expectError(call(a.session, '/login/verify_login_url', { ticket, pin: wrongPin }), 'LOGIN_PIN_WRONG');
    assert.notEqual(wechatRet(refused), 0);
    await expectError(call(a.session, '/login/verify_login_url', { ticket: 'not-the-ticket', pin }), 'LOGIN_TICKET_INVALID');
    assert.equal(s.events(a.guid).length, before, 'refusals raise no callbacks');
    assert.equal(s.loginOf(a.guid), null);
    assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 1);

    await call(a.session, '/login/verify_login_url', { ticket, pin });
    assert.equal(s.loginOf(a.guid), person.wxid);
    assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 2);
    await expectError(call(a.session, '/login/verify_login_url', { ticket, pin }), 'NO_LOGIN_IN_PROGRESS');
  }));

  test('push_login_url: refused with no previous account; after a logout the last account confirms on its phone', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await expectError(call(a.session, '/login/push_login_url', {}), 'NO_PREVIOUS_LOGIN');
    const wxid = await logIn(s, a);
    await expectError(call(a.session, '/login/push_login_url', {}), 'ALREADY_LOGGED_IN');

    const mark = s.events(a.guid).length;
    await call(a.session, '/user/logout', {});
    assert.equal(s.loginOf(a.guid), null);
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1004]);
    await expectError(call(a.session, '/user/get_profile', {}), 'NOT_LOGGED_IN');

    const pushed = await call(a.session, '/login/push_login_url', {});
    assert.ok(pushed.uuid);
    const waiting = await call(a.session, '/login/check_login_qrcode', {});
    assert.equal(waiting.status, 1, 'a pushed login is already "scanned" by its person');
    assert.ok(waiting.nick_name);
    await s.phone.confirm(a.guid);
    assert.equal(s.loginOf(a.guid), wxid);
  }));

  test('the personal QR code is a PNG of the account\'s contact card URL, in the asked style', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await expectError(call(a.session, '/user/get_qrcode', {}), 'NOT_LOGGED_IN');
    await logIn(s, a);
    const plain = await call(a.session, '/user/get_qrcode', { style: 0 });
    const styled = await call(a.session, '/user/get_qrcode', { style: 2 });
    assert.equal(styled.style, 2);
    const url = decodeQrPng(plain.qrcode.buffer!);
    assert.match(url ?? '', /^https:\/\/u\.wechat\.com\/[\w-]+$/);
    assert.equal(decodeQrPng(styled.qrcode.buffer!), url, 'the same card in every style');
    assert.equal(plain.qrcode.iLen, Buffer.from(plain.qrcode.buffer!, 'base64').length);
  }));

  test('one iPad per account: logging in on a second instance logs the first out (1004)', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const b = await s.newInstance();
    const wxid = await logIn(s, a);
    const mark = s.events(a.guid).length;
    await logIn(s, b, wxid);
    assert.equal(s.loginOf(a.guid), null);
    assert.equal(s.loginOf(b.guid), wxid);
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1004]);
  }));

  test('faults: heartbeat error (1006) keeps the session; session timeout (1007, 1004) and phone logout (1004) end it', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await s.phone.injectFault(a.guid, 'heartbeat_error').then(() => assert.fail('needs a login'), () => undefined);
    await logIn(s, a);
    let mark = s.events(a.guid).length;
    await s.phone.injectFault(a.guid, 'heartbeat_error');
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1006]);
    assert.ok(s.loginOf(a.guid));
    await call(a.session, '/user/get_profile', {});

    mark = s.events(a.guid).length;
    await s.phone.injectFault(a.guid, 'session_timeout');
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1007, 1004]);
    assert.equal(s.loginOf(a.guid), null);

    await logIn(s, a);
    mark = s.events(a.guid).length;
    await s.phone.injectFault(a.guid, 'logout');
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1004]);
    assert.equal(s.loginOf(a.guid), null);
  }));

  test('faults: sync failure (2006) blocks WeChat calls until the session is restored; login failure (1008) ends the QR', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const wxid = await logIn(s, a);
    const mark = s.events(a.guid).length;
    await s.phone.injectFault(a.guid, 'sync_failed');
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [2006]);
    await expectError(call(a.session, '/user/get_profile', {}), 'SYNC_FAILED');
    assert.equal(s.loginOf(a.guid), wxid, 'still logged in');
    const restored = await s.reopen(a.guid);
    assert.equal((await call(restored, '/user/get_profile', {})).userInfo.userName.string, wxid);

    const b = await s.newInstance();
    await call(b.session, '/login/get_login_qrcode', {});
    const markB = s.events(b.guid).length;
    await s.phone.injectFault(b.guid, 'login_failed');
    assert.deepEqual(notifyTypes(eventsSince(s, b.guid, markB)), [1002, 1008]);
    assert.equal((await call(b.session, '/login/check_login_qrcode', {})).status, 4);
  }));

  test('a logged-in session resumes when reopened (restart, restore_client)', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const wxid = await logIn(s, a);
    const reopened = await s.reopen(a.guid);
    assert.equal(s.loginOf(a.guid), wxid);
    assert.equal((await call(reopened, '/user/get_profile', {})).userInfo.userName.string, wxid);
  }));
}
