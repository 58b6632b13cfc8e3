// Shared ground of the storage conformance suite: the factory a store implementation hands in, a fresh store per test,
// and record builders, so each port's tests read as what they check.
import { DEFAULT_CALLBACK_OPTIONS, type AppRecord, type InstanceRecord, type SandboxPerson, type Store } from '../ports.ts';

/** A fresh, empty store of the implementation under test, and how to dispose of it (files included). */
export type StoreFactory = () => Promise<{ store: Store; close(): Promise<void> }>;

/** Runs `fn` against a fresh store and always disposes of it. */
export async function withStore(make: StoreFactory, fn: (store: Store) => Promise<void>): Promise<void> {
  const subject = await make();
  try {
    await fn(subject.store);
  } finally {
    await subject.close();
  }
}

export const appRecord = (id: string, overrides: Partial<AppRecord> = {}): AppRecord => ({
  id, appKey: `wxg_key_${id}`, name: `app ${id}`, secretHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', mode: 'standard', disabled: false, createdAt: 1_700_000_000_000,
  ...overrides,
});

export const instanceRecord = (guid: string, appId: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord => ({
  guid, appId, runState: 'stopped', loginWxid: null, clientType: 241, notifyUrl: '', bridge: '', proxy: '',
  isLongProxy: false, isLoginProxy: false, syncHistoryMsg: true, autoStart: false, payload: '', callbackOptions: DEFAULT_CALLBACK_OPTIONS,
  createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000,
  ...overrides,
});

export const personRecord = (appId: string, wxid: string, overrides: Partial<SandboxPerson> = {}): SandboxPerson => ({
  appId, wxid, alias: '', nickname: wxid, sex: 0, signature: '', country: 'CN', province: '', city: '', phone: '', qq: '',
  bigHeadImgUrl: '', smallHeadImgUrl: '', needsVerification: true, kind: 'simulated', createdAt: 1_700_000_000_000,
  ...overrides,
});

/** Stores an app (and optionally instances of it): most rows belong to one. */
export async function seedApp(store: Store, appId: string, guids: readonly string[] = []): Promise<void> {
  await store.apps.insert(appRecord(appId));
  for (const guid of guids) await store.instances.insert(instanceRecord(guid, appId));
}

/** Sequential ids for events, stable within one test. */
export function idSequence(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}
