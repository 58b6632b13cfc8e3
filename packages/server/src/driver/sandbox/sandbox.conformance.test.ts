// Runs the driver conformance suite against the sandbox: a fresh SQLite store per test, a recording event sink, a
// manual clock, reproducible ids, a CDN in the test's directory, and the sandbox's control surface as the phone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestStore } from '../../../test/postgres.ts';
import { ManualClock } from '../../core/clock.ts';
import { SealedMediaLinks } from '../../core/media/media-links.ts';
import { LocalBlobStore } from '../../storage/blob/local-blob-store.ts';
import type { InstanceRecord } from '../../storage/ports.ts';
import { describeDriverConformance, type ConformanceSubject } from '../conformance/driver-conformance.ts';
import { conformanceInstance, recordingSink } from '../conformance/subject.ts';
import { describeMediaChatConformance } from '../conformance/media-chat.ts';
import { describeTextChatConformance } from '../conformance/text-chat.ts';
import type { DriverSession } from '../driver.ts';
import { MediaFetchError } from '../media.ts';
import { seededRandom } from './ids.ts';
import { SandboxDriver } from './sandbox-driver.ts';
import { sandboxPhone } from './sandbox-phone.ts';

let subjects = 0;

async function sandboxSubject(): Promise<ConformanceSubject> {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-conformance-'));
  const { store, close: closeStore } = await openTestStore(join(dir, 'world.db'));
  const clock = new ManualClock();
  const { sink, events, loginOf } = recordingSink(store, () => clock.now());
  // The suite sends its media as data: URLs: a fetch would be a bug, so the fetcher refuses every URL.
  const media = {
    blobs: new LocalBlobStore(join(dir, 'media'), 64 << 20),
    fetcher: { fetch: async () => Promise.reject(new MediaFetchError('forbidden', 'the conformance suite fetches nothing')) },
    links: new SealedMediaLinks('conformance', { baseUrl: 'http://127.0.0.1:9', ttlSeconds: 3600, now: () => clock.now() }),
    maxObjectBytes: 16 << 20,
  };
  const driver = new SandboxDriver({ store, clock, sink, media, random: seededRandom(`conformance-${subjects++}`) });
  const appIds = ['app-main', 'app-other'];
  for (const id of appIds) {
    await store.apps.insert({ id, appKey: `key-${id}`, name: id, secretHash: 'scrypt$unused', mode: 'standard', disabled: false, createdAt: clock.now() });
  }
  const records = new Map<string, InstanceRecord>();
  let instances = 0;
  const newInstance = async (appId: string) => {
    const record = conformanceInstance(++instances, appId, clock.now());
    const { guid } = record;
    await store.instances.insert(record);
    records.set(guid, record);
    const session: DriverSession = await driver.open(record, sink);
    return { guid, session };
  };
  const appOf = (guid: string) => records.get(guid)!.appId;
  const control = driver.control;
  const main = appIds[0]!;

  return {
    driver,
    phone: sandboxPhone(control, appOf, main),
    newInstance: () => newInstance(main),
    newInstanceOfAnotherApp: () => newInstance(appIds[1]!),
    async reopen(guid) {
      return driver.open((await store.instances.get(guid))!, sink);
    },
    events,
    loginOf,
    record: async (guid) => (await store.instances.get(guid))!,
    advance: (ms) => clock.advance(ms),
    async close() {
      await driver.close();
      await closeStore();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeDriverConformance('sandbox', sandboxSubject);
describeTextChatConformance('sandbox', sandboxSubject);
describeMediaChatConformance('sandbox', sandboxSubject);
