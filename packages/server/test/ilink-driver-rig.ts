// One ilink driver on its own store, pointed at an iLink server (a second wxgate, or test/fake-ilink.ts), with one
// running instance whose session the test calls: what the driver's login-state and media tests share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contract, RequestOf, ResponseOf } from '@wxgate/contract';
import { SealedMediaLinks } from '../src/core/media/media-links.ts';
import { conformanceInstance, recordingSink } from '../src/driver/conformance/subject.ts';
import type { DriverOperation, DriverPath } from '../src/driver/driver.ts';
import { IlinkDriver } from '../src/driver/ilink/ilink-driver.ts';
import { MediaFetchError } from '../src/driver/media.ts';
import { LocalBlobStore } from '../src/storage/blob/local-blob-store.ts';
import { ShiftableClock } from './harness.ts';
import { openTestStore } from './postgres.ts';

export type IlinkRig = Awaited<ReturnType<typeof ilinkRig>>;

export async function ilinkRig(baseUrl: string, cdnBaseUrl = `${baseUrl}/ilink/cdn`) {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-ilink-rig-'));
  const { store, close: closeStore } = await openTestStore(join(dir, 'driver.db'));
  const clock = new ShiftableClock();
  const { sink, events, loginOf } = recordingSink(store, () => clock.now());
  await store.apps.insert({ id: 'app-main', appKey: 'key-app-main', name: 'app-main', secretHash: 'scrypt$unused', mode: 'standard', disabled: false, createdAt: clock.now() });
  const media = {
    blobs: new LocalBlobStore(join(dir, 'media'), 64 << 20),
    fetcher: { fetch: async () => Promise.reject(new MediaFetchError('forbidden', 'the rig fetches nothing')) },
    links: new SealedMediaLinks('rig', { baseUrl: 'http://127.0.0.1:9', ttlSeconds: 3600, now: () => clock.now() }),
    maxObjectBytes: 16 << 20,
  };
  const driver = new IlinkDriver({ store, clock, sink, baseUrl, cdnBaseUrl, timeoutMs: 5_000, version: 'rig', retryDelaysMs: [20, 50, 100], media });
  const record = conformanceInstance(1, 'app-main', clock.now());
  await store.instances.insert(record);
  const session = await driver.open(record, sink);
  const { guid } = record;

  /** Waits for something the driver does in the background; fails after 15 s. */
  const until = async (what: string, check: () => Promise<boolean> | boolean) => {
    const deadline = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`the ilink driver did not catch up: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  return {
    driver, store, clock, guid, session, until,
    events: () => events(guid),
    loginOf: () => loginOf(guid),
    call<P extends DriverPath>(path: P, request: Omit<RequestOf<Contract[P]>, 'guid'>): Promise<ResponseOf<Contract[P]>> {
      const operation = session.operations[path] as DriverOperation<P> | undefined;
      if (!operation) throw new Error(`${path} is not served`);
      return operation({ guid, ...request } as RequestOf<Contract[P]>);
    },
    /** The QR login the driver is watching. */
    qr: () => {
      const login = driver.pendingLogin(guid);
      if (!login) throw new Error('no QR login in progress');
      return login;
    },
    async close() {
      await driver.close();
      await closeStore();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
