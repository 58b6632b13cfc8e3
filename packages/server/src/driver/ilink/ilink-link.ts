// What the ilink driver's parts share: their dependencies, and the two moves of an instance's login state (a bot
// linked at the QR confirmation, a link ended by ret -14 or a logout), each in one transaction with its callbacks.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { IlinkLinkRecord, Store } from '../../storage/ports.ts';
import type { DriverEventSink } from '../driver.ts';
import type { SandboxMedia } from '../sandbox/cloud.ts';
import type { IlinkClient } from './ilink-client.ts';

/** Where the driver logs what goes wrong in the background (a pino logger fits); tokens and QR codes are never passed. */
export interface IlinkLog {
  warn(details: object, message: string): void;
}

export interface IlinkDeps {
  readonly store: Store;
  readonly sink: DriverEventSink;
  readonly client: IlinkClient;
  readonly now: () => number;
  /** The iLink server's API base URL (the QR calls go there; bots use the baseurl their confirmation named). */
  readonly baseUrl: string;
  /** The iLink CDN's base URL, for media that names no full URL (`<cdn>/download?…`, `<cdn>/upload?…`). */
  readonly cdnBaseUrl: string;
  /** The instance's own CDN: received media is stored there, sent media read from there (absent: media answers 501). */
  readonly media: SandboxMedia | undefined;
  readonly log?: IlinkLog;
  /** Waits between failed long polls (ms); the last one repeats. */
  readonly retryDelaysMs: readonly number[];
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The transaction key of everything that changes one instance's link. */
export const linkKey = (guid: string) => `ilink-link:${guid}`;

/** The QR was confirmed: the link is stored (token sealed) and the instance is logged in, with 1002 (status 2) and 1003. */
export async function startLink(deps: IlinkDeps, link: IlinkLinkRecord, qrState: Record<string, unknown>): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.ilinkLinks.save(link);
    await deps.sink.loginChanged(link.guid, link.ilinkUserId, tx);
    await deps.sink.emit(link.guid, [
      { notifyType: NOTIFY_TYPES.LoginQRCodeChange, data: { ...qrState, status: 2, wxid: link.ilinkUserId } },
      { notifyType: NOTIFY_TYPES.UserLogin, data: { wxid: link.ilinkUserId, login_time: seconds(deps.now()) } },
    ], tx);
  }, { serializeOn: linkKey(link.guid) });
}

/**
 * The link ends (the iLink server answered ret -14, or /user/logout): it is forgotten, the instance is logged out and
 * told so with a 1004. With `botToken`, only that bot's link ends (a newer login is left alone). Answers whether it ended.
 */
export async function endLink(deps: IlinkDeps, guid: string, reason: string, botToken?: string): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    const link = await tx.ilinkLinks.get(guid);
    if (!link || (botToken !== undefined && link.botToken !== botToken)) return false;
    await tx.ilinkLinks.remove(guid);
    await deps.sink.loginChanged(guid, null, tx);
    await deps.sink.emit(guid, [{ notifyType: NOTIFY_TYPES.UserLogout, data: { wxid: link.ilinkUserId, reason, time: seconds(deps.now()) } }], tx);
    return true;
  }, { serializeOn: linkKey(guid) });
}

/** A message for the log: the catalog name and text only (never a token). */
export function describeError(err: unknown): object {
  const e = err as { error?: unknown; message?: unknown };
  return { ...(typeof e?.error === 'string' ? { error: e.error } : {}), message: typeof e?.message === 'string' ? e.message : String(err) };
}

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
