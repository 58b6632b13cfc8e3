// Logging in, as a resumable state machine: QR issued (0) → scanned (1, maybe with device verification) → confirmed (2),
// or cancelled / expired / failed (4); plus the phone-confirmed re-login (push), logout and the phone's side of it all.
import { ApiError, invalidField, NOTIFY_TYPES, wechatRefusal, type Modules, type RequestOf, type ResponseOf } from '@wxgate/contract';
import type { SandboxLoginAttempt, SandboxLoginSession, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import type { DriverOperations } from '../../driver.ts';
import { markOffline, syncOffline } from '../msg/msg-archive.ts';
import { loginState, sessionNotice, userLogin } from '../notifications.ts';
import { createPerson } from '../contact/people.ts';
import { loginQrContent, qrPng } from './qr-png.ts';
import type { World, WorldChange } from '../world.ts';

/** How long a login QR code (or a pushed confirmation) can be used. */
export const LOGIN_QR_LIFETIME_MS = 300_000;

type ScanRequest = RequestOf<Modules['sandbox']['/sandbox/login/scan']>;
type ScanResponse = ResponseOf<Modules['sandbox']['/sandbox/login/scan']>;

const seconds = (ms: number) => Math.floor(ms / 1000);

async function loggedInWxid(change: WorldChange, guid: string): Promise<string | null> {
  return (await change.tx.instances.get(guid))?.loginWxid ?? null;
}

async function refuseWhileLoggedIn(change: WorldChange, guid: string): Promise<void> {
  const wxid = await loggedInWxid(change, guid);
  if (wxid) throw new ApiError('ALREADY_LOGGED_IN', `${wxid} is already logged in on this instance; log it out with /user/logout first`, { wxid });
}

/** A waiting or scanned attempt past its expiry becomes 4, with the 1002 that tells the instance. */
async function expireIfDue(change: WorldChange, session: SandboxLoginSession): Promise<SandboxLoginSession> {
  const attempt = session.attempt;
  if (!attempt || (attempt.status !== 0 && attempt.status !== 1) || attempt.expiresAt > change.now) return session;
  const expired: SandboxLoginSession = { ...session, attempt: { ...attempt, status: 4, verifyTicket: null, verifyPin: null } };
  await change.world.loginSessions.put(expired);
  change.emit(session.guid, NOTIFY_TYPES.LoginQRCodeChange, loginState(expired.attempt!, undefined));
  return expired;
}

async function scannerOf(change: WorldChange, attempt: SandboxLoginAttempt): Promise<SandboxPerson | undefined> {
  return attempt.scannerWxid ? change.person(attempt.scannerWxid) : undefined;
}

/** Starts a new attempt (the previous one, if any, is dropped) and tells the instance with a 1002. */
async function startAttempt(change: WorldChange, session: SandboxLoginSession, kind: SandboxLoginAttempt['kind'], scanner: SandboxPerson | null) {
  const attempt: SandboxLoginAttempt = {
    kind,
    uuid: change.ids.loginUuid(),
    status: scanner ? 1 : 0,
    scannerWxid: scanner?.wxid ?? null,
    verifyTicket: null,
    verifyPin: null,
    createdAt: change.now,
    expiresAt: change.now + LOGIN_QR_LIFETIME_MS,
  };
  await change.world.loginSessions.put({ ...session, attempt });
  change.emit(session.guid, NOTIFY_TYPES.LoginQRCodeChange, loginState(attempt, scanner ?? undefined));
  return attempt;
}

/**
 * The account is in: 1002 (status 2), 1003 login, 1001 ready, 1005 init finished, 1009 contacts synced. One iPad per
 * account, as on WeChat: if the account was logged in on another of the app's instances, that one is logged out (1004).
 */
async function completeLogin(change: WorldChange, session: SandboxLoginSession, attempt: SandboxLoginAttempt, me: SandboxPerson): Promise<void> {
  const { guid } = session;
  const elsewhere = await change.instanceOf(me.wxid);
  if (elsewhere && elsewhere !== guid) {
    const other = await change.loginSession(elsewhere);
    await change.world.loginSessions.put({ ...other, attempt: null, syncFailed: false });
    await change.setLogin(elsewhere, null);
    change.emit(elsewhere, NOTIFY_TYPES.UserLogout, sessionNotice(me.wxid, 'logged in on another iPad', change.now));
  }
  if (me.kind !== 'account') await change.world.people.update(change.appId, me.wxid, { kind: 'account' });
  // The first login of this account on this instance starts the device's new-device period (risk control).
  await change.world.deviceLogins.record(change.appId, guid, me.wxid, change.now);
  const done: SandboxLoginAttempt = { ...attempt, status: 2, verifyTicket: null, verifyPin: null };
  await change.world.loginSessions.put({ ...session, attempt: done, lastWxid: me.wxid, syncFailed: false });
  await change.setLogin(guid, me.wxid);
  const contactCount = await change.world.contacts.count(change.appId, me.wxid);
  change.emit(guid, NOTIFY_TYPES.LoginQRCodeChange, loginState(done, me));
  change.emit(guid, NOTIFY_TYPES.UserLogin, userLogin(me, change.now));
  change.emit(guid, NOTIFY_TYPES.Ready, { wxid: me.wxid });
  change.emit(guid, NOTIFY_TYPES.InitFinish, { wxid: me.wxid });
  change.emit(guid, NOTIFY_TYPES.ContactSyncFinish, { wxid: me.wxid, contact_count: contactCount });
  await syncOffline(change, guid, me);
}

/** The account leaves the instance (logout, kicked, session timeout); the instance is back at status 1. */
export async function endLogin(change: WorldChange, guid: string, wxid: string, notices: ReadonlyArray<readonly [number, string]>): Promise<void> {
  const session = await change.loginSession(guid);
  await change.world.loginSessions.put({ ...session, attempt: null, lastWxid: wxid, syncFailed: false });
  await change.setLogin(guid, null);
  await markOffline(change, wxid);
  for (const [notifyType, reason] of notices) change.emit(guid, notifyType, sessionNotice(wxid, reason, change.now));
}

/** The four /login/* operations of one instance. */
export function loginOperations(world: World, appId: string, guid: string): DriverOperations {
  return {
    '/login/get_login_qrcode': async () => {
      const attempt = await world.change(appId, async (change) => {
        await refuseWhileLoggedIn(change, guid);
        return startAttempt(change, await change.loginSession(guid), 'qr', null);
      });
      const content = loginQrContent(attempt.uuid);
      return {
        qrcode: (await qrPng(content)).toString('base64'),
        qrcode_content: content,
        uuid: attempt.uuid,
        expired_time: seconds(attempt.expiresAt),
        expire_seconds: seconds(attempt.expiresAt - attempt.createdAt),
      };
    },
    '/login/check_login_qrcode': () => world.change(appId, async (change) => {
      const session = await expireIfDue(change, await change.loginSession(guid));
      if (!session.attempt) throw new ApiError('NO_LOGIN_IN_PROGRESS');
      return loginState(session.attempt, await scannerOf(change, session.attempt));
    }),
    '/login/push_login_url': () => world.change(appId, async (change) => {
      await refuseWhileLoggedIn(change, guid);
      const session = await change.loginSession(guid);
      const last = session.lastWxid ? await change.person(session.lastWxid) : undefined;
      if (!last) throw new ApiError('NO_PREVIOUS_LOGIN');
      const attempt = await startAttempt(change, session, 'push', last);
      return { uuid: attempt.uuid, expired_time: seconds(attempt.expiresAt) };
    }),
    '/login/verify_login_url': (req) => world.change(appId, async (change) => {
      const session = await change.loginSession(guid);
      const attempt = session.attempt;
      if (!attempt || attempt.status !== 1 || !attempt.verifyTicket) {
        throw new ApiError('NO_LOGIN_IN_PROGRESS', 'no device verification is pending on this instance; it is asked for with status 1 and an auth_url by /login/check_login_qrcode');
      }
      if (attempt.expiresAt <= change.now) {
        throw new ApiError('NO_LOGIN_IN_PROGRESS', `the login expired at ${new Date(attempt.expiresAt).toISOString()}; start again with /login/get_login_qrcode`);
      }
      if (req.ticket !== attempt.verifyTicket) throw wechatRefusal('LOGIN_TICKET_INVALID', -47);
      if (req.pin !== attempt.verifyPin) throw wechatRefusal('LOGIN_PIN_WRONG', -32);
      const me = await scannerOf(change, attempt);
      if (!me) throw new ApiError('NO_LOGIN_IN_PROGRESS', 'the person who scanned is no longer in the sandbox world (it was reset)');
      await completeLogin(change, session, attempt, me);
      return {};
    }),
  };
}

/** The phone's side: scan the QR, then confirm, cancel, or confirm into device verification (sandbox control). */
export function phoneAction(world: World, appId: string, guid: string, req: Omit<ScanRequest, 'guid'>): Promise<ScanResponse> {
  return world.change(appId, async (change) => {
    const session = await change.loginSession(guid);
    const attempt = session.attempt;
    if (!attempt || attempt.status === 2 || attempt.status === 4) {
      throw new ApiError('NO_LOGIN_IN_PROGRESS', 'no login QR code is waiting on this instance; the bot starts one with /login/get_login_qrcode (or /login/push_login_url)');
    }
    if (attempt.expiresAt <= change.now) {
      throw new ApiError('SANDBOX_LOGIN_STEP', `the QR code expired at ${new Date(attempt.expiresAt).toISOString()}; the bot needs a new one`);
    }
    if (req.action === 'scan') {
      if (attempt.status !== 0) throw new ApiError('SANDBOX_LOGIN_STEP', 'this login was already scanned; confirm, verify or cancel it');
      // WeCom people (…@openim) live in the world but have no personal WeChat to log in with.
      if (req.wxid?.endsWith('@openim')) throw invalidField('wxid', 'WeCom people (…@openim) cannot log into personal WeChat; scan with a WeChat person');
      const scanner = req.wxid === undefined ? await createPerson(change, {}, 'account') : await change.requirePerson(req.wxid);
      const scanned: SandboxLoginAttempt = { ...attempt, status: 1, scannerWxid: scanner.wxid };
      await change.world.loginSessions.put({ ...session, attempt: scanned });
      change.emit(guid, NOTIFY_TYPES.LoginQRCodeChange, loginState(scanned, scanner));
      return { status: 1, uuid: attempt.uuid, wxid: scanner.wxid, nick_name: scanner.nickname };
    }
    if (attempt.status !== 1 || !attempt.scannerWxid) throw new ApiError('SANDBOX_LOGIN_STEP', `the QR code has not been scanned yet: scan it before you ${req.action}`);
    if (req.wxid !== undefined && req.wxid !== attempt.scannerWxid) {
      throw new ApiError('SANDBOX_LOGIN_STEP', `this login was scanned by ${attempt.scannerWxid}, not ${req.wxid}; only that phone can ${req.action} it`);
    }
    const scanner = await change.requirePerson(attempt.scannerWxid);
    const answer = { uuid: attempt.uuid, wxid: scanner.wxid, nick_name: scanner.nickname };
    if (req.action === 'cancel') {
      const cancelled: SandboxLoginAttempt = { ...attempt, status: 4, verifyTicket: null, verifyPin: null };
      await change.world.loginSessions.put({ ...session, attempt: cancelled });
      change.emit(guid, NOTIFY_TYPES.LoginQRCodeChange, loginState(cancelled, scanner));
      return { status: 4, ...answer };
    }
    if (attempt.verifyTicket) throw new ApiError('SANDBOX_LOGIN_STEP', 'device verification is pending: the bot completes it with /login/verify_login_url (or the phone cancels)');
    if (req.action === 'verify') {
      const verifying: SandboxLoginAttempt = { ...attempt, verifyTicket: change.ids.verifyTicket(), verifyPin: change.ids.pin() };
      await change.world.loginSessions.put({ ...session, attempt: verifying });
      change.emit(guid, NOTIFY_TYPES.LoginQRCodeChange, loginState(verifying, scanner));
      return { status: 1, ...answer, pin: verifying.verifyPin!, ticket: verifying.verifyTicket! };
    }
    await completeLogin(change, session, attempt, scanner);
    return { status: 2, ...answer };
  });
}

/** Fails the login in progress (fault `login_failed`): 1008, and the QR state becomes 4. */
export async function failLogin(change: WorldChange, guid: string): Promise<void> {
  const session = await change.loginSession(guid);
  const attempt = session.attempt;
  if (!attempt || attempt.status === 2 || attempt.status === 4 || attempt.expiresAt <= change.now) {
    throw new ApiError('NO_LOGIN_IN_PROGRESS', 'login_failed needs a login in progress (a QR code waiting or scanned); start one with /login/get_login_qrcode');
  }
  const failed: SandboxLoginAttempt = { ...attempt, status: 4, verifyTicket: null, verifyPin: null };
  await change.world.loginSessions.put({ ...session, attempt: failed });
  change.emit(guid, NOTIFY_TYPES.LoginQRCodeChange, loginState(failed, undefined));
  change.emit(guid, NOTIFY_TYPES.LoginFailed, { uuid: attempt.uuid, wxid: attempt.scannerWxid ?? '', reason: 'login refused by WeChat (simulated)', time: seconds(change.now) });
}

/**
 * A session (re)opens — server start or /client/restore_client: a logged-in account resumes and a sync failure is
 * cleared. An account the world no longer has (reset) is logged out instead.
 */
export function resumeSession(world: World, appId: string, guid: string): Promise<void> {
  return world.change(appId, async (change) => {
    const wxid = await loggedInWxid(change, guid);
    const session = await change.world.loginSessions.get(guid);
    if (session?.syncFailed) await change.world.loginSessions.put({ ...session, syncFailed: false });
    if (wxid && !(await change.person(wxid))) await endLogin(change, guid, wxid, [[NOTIFY_TYPES.UserLogout, 'the account no longer exists in the sandbox world']]);
  });
}
