// Runs the text-chat subset of the driver conformance suite against the ilink driver, pointed at a SECOND wxgate that
// serves the iLink API over its sandbox (on a loopback port, called over HTTP). The phone is that wxgate's sandbox: a
// person who "scans" the driver's bot QR is logged in on an instance there first, which then scans and confirms it
// through /ilink/scan_qrcode. One upstream wxgate per file; each test gets a fresh tenant there (a fresh world) and
// its own driver and store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createTenant, ShiftableClock, startHarness, type Harness } from '../../../test/harness.ts';
import { openTestStore } from '../../../test/postgres.ts';
import { SealedMediaLinks } from '../../core/media/media-links.ts';
import { LocalBlobStore } from '../../storage/blob/local-blob-store.ts';
import { describeMediaChatConformance } from '../conformance/media-chat.ts';
import type { ConformancePhone, ConformanceSubject } from '../conformance/subject.ts';
import { conformanceInstance, recordingSink } from '../conformance/subject.ts';
import { describeTextChatConformance } from '../conformance/text-chat.ts';
import type { DriverSession } from '../driver.ts';
import { MediaFetchError } from '../media.ts';
import { sandboxPhone } from '../sandbox/sandbox-phone.ts';
import { IlinkDriver } from './ilink-driver.ts';

let shared: Promise<{ upstream: Harness; url: string }> | undefined;
after(async () => (await shared)?.upstream.close());

/** The second wxgate (sandbox driver, serving /ilink/bot/*), once per file. */
function sharedUpstream() {
  shared ??= (async () => {
    const upstream = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 60 } }, undefined, { realTime: true });
    return { upstream, url: await upstream.app.http.listen({ host: '127.0.0.1', port: 0 }) };
  })();
  return shared;
}

/** Waits for something the driver does in the background (a long poll's answer published, a QR status); fails after 15 s. */
async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`the ilink driver did not catch up: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let subjects = 0;

async function ilinkSubject(): Promise<ConformanceSubject> {
  const { upstream, url } = await sharedUpstream();
  const n = ++subjects;
  const creds = await createTenant(upstream, `ilink-conformance-${n}`);
  const tenantId = (await upstream.app.store.apps.findByKey(creds.appKey))!.id;
  const call = async (path: string, body: Record<string, unknown>) => {
    const res = await upstream.direct(path, body, creds);
    if (res.status !== 200) throw new Error(`${path} on the upstream wxgate failed: ${res.text}`);
    return res.body.data;
  };

  const dir = mkdtempSync(join(tmpdir(), 'wxgate-ilink-conformance-'));
  const { store, close: closeStore } = await openTestStore(join(dir, 'driver.db'));
  const clock = new ShiftableClock();
  const { sink, events, loginOf } = recordingSink(store, () => clock.now());
  for (const id of ['app-main', 'app-other']) {
    await store.apps.insert({ id, appKey: `key-${id}`, name: id, secretHash: 'scrypt$unused', mode: 'standard', disabled: false, createdAt: clock.now() });
  }
  // The suite sends its media as data: URLs: a fetch would be a bug, so the fetcher refuses every URL.
  const media = {
    blobs: new LocalBlobStore(join(dir, 'media'), 64 << 20),
    fetcher: { fetch: async () => Promise.reject(new MediaFetchError('forbidden', 'the conformance suite fetches nothing')) },
    links: new SealedMediaLinks('conformance', { baseUrl: 'http://127.0.0.1:9', ttlSeconds: 3600, now: () => clock.now() }),
    maxObjectBytes: 16 << 20,
  };
  const driver = new IlinkDriver({
    store, clock, sink, baseUrl: url, cdnBaseUrl: `${url}/ilink/cdn`, timeoutMs: 5_000, version: 'conformance', retryDelaysMs: [20, 50, 100], media,
  });

  /** The upstream instance each person is logged in on (the phone that scans), and the instance each of ours scanned with. */
  const accounts = new Map<string, string>();
  const scannedWith = new Map<string, string>();
  const sessions = new Map<string, DriverSession>();

  const people = sandboxPhone(upstream.app.services.sandbox!, () => tenantId, tenantId);

  /** An upstream instance with `wxid` logged in: the phone of that account. */
  const accountOf = async (wxid: string) => {
    let upGuid = accounts.get(wxid);
    if (!upGuid) {
      upGuid = await upstream.createInstance({ auto_start: true }, creds);
      await call('/login/get_login_qrcode', { guid: upGuid });
      await call('/sandbox/login/scan', { guid: upGuid, action: 'scan', wxid });
      await call('/sandbox/login/scan', { guid: upGuid, action: 'confirm' });
      accounts.set(wxid, upGuid);
    }
    return upGuid;
  };
  const qrOf = (guid: string) => {
    const login = driver.pendingLogin(guid);
    if (!login) throw new Error(`no bot QR login on ${guid}`);
    return login;
  };

  /**
   * A message that one of our accounts receives (its upstream outbox has it, and iLink carries its kind) arrives by long
   * poll: wait until the driver published it.
   */
  const delivered = async (msgId: string) => {
    for (const [guid, upGuid] of scannedWith) {
      const link = await store.ilinkLinks.get(guid);
      if (!link) continue;
      const outbox = await upstream.app.store.events.list({ guid: upGuid, afterSn: 0, limit: 10_000 });
      const received = outbox.some((e) => {
        const m = e.data as { msg_id?: string; from_username?: string; chatroom_sender?: string };
        return e.notifyType === 1010 && m.msg_id === msgId && (m.chatroom_sender || m.from_username) !== link.ilinkUserId;
      });
      if (!received) continue;
      await until(`message ${msgId} on ${guid}`, () => events(guid).some((e) => e.notifyType === 1010 && (e.data as { msg_id?: string }).msg_id === msgId));
    }
  };
  /** The sends whose messages iLink carries (the others never reach getupdates). */
  const CARRIED = new Set(['/msg/send_text', '/msg/send_refer_msg']);

  const phone: ConformancePhone = {
    ...people,
    async sendMessage(from, path, body) {
      const sent = await people.sendMessage(from, path, body);
      if (CARRIED.has(path)) await delivered(sent.msgId);
      return sent;
    },
    async sendMedia(from, to, media) {
      const sent = await people.sendMedia(from, to, media);
      await delivered(sent.msgId);
      return sent;
    },
    async scan(guid, wxid) {
      const person = wxid ? { wxid, nickname: '' } : await people.createPerson({});
      const upGuid = await accountOf(person.wxid);
      scannedWith.set(guid, upGuid);
      await call('/ilink/scan_qrcode', { guid: upGuid, qrcode: qrOf(guid).qrcode, action: 'scan' });
      await until('the scan', () => qrOf(guid).status === 1);
      return person;
    },
    async confirm(guid) {
      await call('/ilink/scan_qrcode', { guid: scannedWith.get(guid)!, qrcode: qrOf(guid).qrcode, action: 'confirm' });
      await until('the confirmation', () => loginOf(guid) !== null);
    },
    async cancel(guid) {
      await call('/ilink/scan_qrcode', { guid: scannedWith.get(guid)!, qrcode: qrOf(guid).qrcode, action: 'cancel' });
      await until('the cancellation', () => qrOf(guid).status === 4);
    },
    // wxgate's iLink server plays a phone that shows a code: the driver's poll answers need_verifycode until the pin comes.
    async confirmWithVerification(guid) {
      const pin = '482913';
      await call('/ilink/scan_qrcode', { guid: scannedWith.get(guid)!, qrcode: qrOf(guid).qrcode, action: 'confirm', verify_code: pin });
      return { pin };
    },
    // On iLink the network ends a session by unbinding the bot: the next getupdates answers ret -14.
    async injectFault(guid, fault) {
      if (fault !== 'session_timeout' && fault !== 'logout') throw new Error(`iLink has no ${fault}`);
      const upGuid = scannedWith.get(guid)!;
      const link = (await store.ilinkLinks.get(guid))!;
      const { bots } = await call('/ilink/status', { guid: upGuid });
      const bot = (bots as Array<{ bot_id: string; ilink_bot_id: string }>).find((b) => b.ilink_bot_id === link.ilinkBotId)!;
      await call('/ilink/revoke_bot', { guid: upGuid, bot_id: bot.bot_id });
      // A text for the account wakes the held getupdates, which then answers ret -14 (and delivers nothing).
      const nudger = (await people.createPerson({ nickname: 'Nudger' })).wxid;
      await people.sendFriendRequest(nudger, link.ilinkUserId, 'hi', 3);
      await people.acceptFriendRequest(nudger, link.ilinkUserId);
      await people.sendMessage(nudger, '/msg/send_text', { to_username: link.ilinkUserId, content: 'wake up' });
      await until('the logout', () => loginOf(guid) === null);
    },
  };

  let instances = 0;
  const newInstance = async (appId: string) => {
    const record = conformanceInstance(++instances, appId, clock.now());
    await store.instances.insert(record);
    const session = await driver.open(record, sink);
    sessions.set(record.guid, session);
    return { guid: record.guid, session };
  };

  return {
    driver,
    phone,
    newInstance: () => newInstance('app-main'),
    newInstanceOfAnotherApp: () => newInstance('app-other'),
    async reopen(guid) {
      // As a restart does: the old session closes (its long poll ends), a new one opens on the stored link.
      await sessions.get(guid)?.close();
      const session = await driver.open((await store.instances.get(guid))!, sink);
      sessions.set(guid, session);
      return session;
    },
    events,
    loginOf,
    record: async (guid) => (await store.instances.get(guid))!,
    advance: (ms) => clock.advance(ms),
    async close() {
      await driver.close();
      for (const upGuid of accounts.values()) {
        const instance = await upstream.app.services.instances.find(upGuid);
        if (instance) await upstream.app.services.instances.remove(instance);
      }
      await closeStore();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeTextChatConformance('ilink (iLink server: a second wxgate serving /ilink/bot/* over its sandbox)', ilinkSubject);
describeMediaChatConformance('ilink (iLink server: a second wxgate serving /ilink/bot/* over its sandbox)', ilinkSubject);
