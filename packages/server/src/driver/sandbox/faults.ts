// Things that go wrong on real WeChat sessions, injectable on demand: each one is the state change plus the callbacks
// a real account produces.
import { ApiError, NOTIFY_TYPES, type Modules, type RequestOf } from '@wxgate/contract';
import { endLogin, failLogin } from './login/login.ts';
import { sessionNotice } from './notifications.ts';
import type { WorldChange } from './world.ts';

export type FaultName = RequestOf<Modules['sandbox']['/sandbox/faults/inject']>['fault'];

async function loggedIn(change: WorldChange, guid: string, fault: FaultName): Promise<string> {
  const wxid = (await change.tx.instances.get(guid))?.loginWxid;
  if (!wxid) throw new ApiError('NOT_LOGGED_IN', `${fault} happens to a logged-in session; log an account in on this instance first`);
  return wxid;
}

/** Applies `fault` to the instance's session; returns the notify types it raised, in order. */
export async function injectFault(change: WorldChange, guid: string, fault: FaultName): Promise<number[]> {
  switch (fault) {
    case 'logout': {
      const wxid = await loggedIn(change, guid, fault);
      await endLogin(change, guid, wxid, [[NOTIFY_TYPES.UserLogout, 'logged out on the phone']]);
      return [NOTIFY_TYPES.UserLogout];
    }
    case 'session_timeout': {
      const wxid = await loggedIn(change, guid, fault);
      await endLogin(change, guid, wxid, [
        [NOTIFY_TYPES.SessionTimeout, 'session timed out (WeChat ret -13)'],
        [NOTIFY_TYPES.UserLogout, 'session timed out'],
      ]);
      return [NOTIFY_TYPES.SessionTimeout, NOTIFY_TYPES.UserLogout];
    }
    case 'heartbeat_error': {
      // The long link dropped and came back: worth knowing, nothing to do.
      const wxid = await loggedIn(change, guid, fault);
      change.emit(guid, NOTIFY_TYPES.HeartBeatError, sessionNotice(wxid, 'heartbeat failed; the long link was re-established', change.now));
      return [NOTIFY_TYPES.HeartBeatError];
    }
    case 'sync_failed': {
      const wxid = await loggedIn(change, guid, fault);
      const session = await change.loginSession(guid);
      await change.world.loginSessions.put({ ...session, syncFailed: true });
      change.emit(guid, NOTIFY_TYPES.SyncMsgFailed, sessionNotice(wxid, 'message sync failed; call /client/restore_client', change.now));
      return [NOTIFY_TYPES.SyncMsgFailed];
    }
    case 'login_failed':
      await failLogin(change, guid);
      return [NOTIFY_TYPES.LoginQRCodeChange, NOTIFY_TYPES.LoginFailed];
  }
}
