// Field types of the login and session callbacks as a webhook receives them: 1002 at every QR status, 1003, 1001, 1005,
// 1009, 1004, 1006, 1007, 1008 and 2006 — each with its exact key set and the JSON type of every key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ok } from '../sandbox-helpers.ts';
import { startCapture, type Capture } from './capture.ts';
import { assertShape, type ObjectShape } from './json-shape.ts';
import { SESSION_NOTICE } from './wechat-shapes.ts';

/** 1002 as check_login_qrcode answers it; the keys grow with the attempt's state (QR or phone push, scanner known). */
const QR_STATE = { status: 'integer', uuid: 'string', qrcode_content: 'string', expired_time: 'integer' } as const satisfies ObjectShape;
const SCANNED = { ...QR_STATE, nick_name: 'string', head_img_url: 'string' } as const satisfies ObjectShape;
const VERIFYING = { ...SCANNED, auth_url: 'string' } as const satisfies ObjectShape;
const CONFIRMED = { ...SCANNED, wxid: 'string' } as const satisfies ObjectShape;
const { qrcode_content: _noQrText, ...PUSHED } = SCANNED;

const USER_LOGIN = { wxid: 'string', nick_name: 'string', alias: 'string', head_img_url: 'string', login_time: 'integer' } as const satisfies ObjectShape;
const LOGIN_FAILED = { uuid: 'string', wxid: 'string', reason: 'string', time: 'integer' } as const satisfies ObjectShape;

describe('payload types: login and session callbacks', () => {
  let cap: Capture;
  before(async () => {
    cap = await startCapture();
  });
  after(() => cap.close());

  /** An instance whose callbacks reach the receiver, nobody logged in yet. */
  const hookedInstance = async () => {
    const guid = await cap.h.createInstance({ auto_start: true });
    await ok(cap.h.direct('/client/set_notify_url', { guid, notify_url: cap.receiver.url }));
    return guid;
  };
  const qrStates = (guid: string) => cap.of(guid).filter((r) => r.json.notify_type === 1002).map((r) => r.json.data);
  const waitStates = (guid: string, count: number) => cap.receiver.until(() => qrStates(guid).length >= count);

  test('1002 at each step of a QR login with device verification, then 1003, 1001, 1005, 1009', async () => {
    const guid = await hookedInstance();
    const { wxid } = await ok(cap.h.direct('/sandbox/people/create', { nickname: '登录者', alias: 'login_er1' }));
    await ok(cap.h.direct('/login/get_login_qrcode', { guid }));
    await ok(cap.h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid }));
    const phone = await ok(cap.h.direct('/sandbox/login/scan', { guid, action: 'verify' }));
    await ok(cap.h.direct('/login/verify_login_url', { guid, ticket: phone.ticket, pin: phone.pin }));
    await waitStates(guid, 4);
    const [waiting, scanned, verifying, confirmed] = qrStates(guid);
    assert.deepEqual([waiting.status, scanned.status, verifying.status, confirmed.status], [0, 1, 1, 2]);
    assertShape(waiting, QR_STATE, '1002 waiting for a scan');
    assertShape(scanned, SCANNED, '1002 scanned');
    assertShape(verifying, VERIFYING, '1002 scanned, device verification asked');
    assertShape(confirmed, CONFIRMED, '1002 confirmed');
    assertShape(await cap.callback(guid, 1003), USER_LOGIN, '1003 UserLogin');
    assertShape(await cap.callback(guid, 1001), { wxid: 'string' }, '1001 Ready');
    assertShape(await cap.callback(guid, 1005), { wxid: 'string' }, '1005 InitFinish');
    assertShape(await cap.callback(guid, 1009), { wxid: 'string', contact_count: 'integer' }, '1009 ContactSyncFinish');
  });

  test('1006, 2006, 1007 and 1004 of a session; 1002 of a phone push and its cancel; 1002 and 1008 of a failed login', async () => {
    const { guid } = await cap.account({ nickname: '会话' });
    await ok(cap.h.direct('/sandbox/faults/inject', { guid, fault: 'heartbeat_error' }));
    assertShape(await cap.callback(guid, 1006), SESSION_NOTICE, '1006 HeartBeatError');
    await ok(cap.h.direct('/sandbox/faults/inject', { guid, fault: 'sync_failed' }));
    assertShape(await cap.callback(guid, 2006), SESSION_NOTICE, '2006 SyncMsgFailed');
    await ok(cap.h.direct('/client/restore_client', { guid }));
    await ok(cap.h.direct('/sandbox/faults/inject', { guid, fault: 'session_timeout' }));
    assertShape(await cap.callback(guid, 1007), SESSION_NOTICE, '1007 SessionTimeout');
    assertShape(await cap.callback(guid, 1004), SESSION_NOTICE, '1004 UserLogout');

    const before = qrStates(guid).length;
    await ok(cap.h.direct('/login/push_login_url', { guid }));
    await ok(cap.h.direct('/sandbox/login/scan', { guid, action: 'cancel' }));
    await waitStates(guid, before + 2);
    const [pushed, cancelled] = qrStates(guid).slice(before);
    assert.deepEqual([pushed.status, cancelled.status], [1, 4]);
    assertShape(pushed, PUSHED, '1002 of a pushed confirmation (no QR text)');
    assertShape(cancelled, PUSHED, '1002 cancelled on the phone');

    await ok(cap.h.direct('/login/get_login_qrcode', { guid }));
    await ok(cap.h.direct('/sandbox/faults/inject', { guid, fault: 'login_failed' }));
    await waitStates(guid, before + 4);
    const failed = qrStates(guid).at(-1);
    assert.equal(failed.status, 4);
    assertShape(failed, QR_STATE, '1002 of a failed login');
    assertShape(await cap.callback(guid, 1008), LOGIN_FAILED, '1008 LoginFailed');
  });

  test('1004 of /user/logout', async () => {
    const { guid } = await cap.account();
    await ok(cap.h.direct('/user/logout', { guid }));
    const logout = await cap.callback(guid, 1004);
    assertShape(logout, SESSION_NOTICE, '1004 UserLogout');
    assert.equal(logout.reason, 'logout');
  });
});
