// The sandbox driver: a persistent simulated WeChat network per app (people, friendships, logins), wxgate's default
// driver and its test harness. Its world lives in the store; its control surface is /sandbox/* (see docs/sandbox.md).
import type { InstanceRecord, Store } from '../../storage/ports.ts';
import { CdnObjects } from '../cdn/cdn-objects.ts';
import type { Driver, DriverEventSink, DriverOperations, DriverPath, DriverSession, MessageArchive } from '../driver.ts';
import type { MediaServices } from '../media.ts';
import { noSpeechEngine, type SpeechEngine } from '../speech/speech-engine.ts';
import { cloudOperations, type SandboxMedia } from './cloud.ts';
import { mediaSendOperations } from './msg/msg-media.ts';
import { contactOperations } from './contact/contact.ts';
import { SandboxControl } from './control.ts';
import { cryptoRandom, SandboxIds, type SandboxRandom } from './ids.ts';
import { labelOperations } from './label.ts';
import { loginOperations, resumeSession } from './login/login.ts';
import { sandboxArchive } from './msg/msg-archive.ts';
import { msgOperations } from './msg/msg.ts';
import { openImOperations } from './openim/openim.ts';
import { roomOperations } from './room/room.ts';
import { snsOperations } from './sns/sns.ts';
import { thirdPartyAppOperations } from './thirdparty-app/thirdparty-app.ts';
import { userOperations } from './user.ts';
import { soleNodeLeases, VoiceJobs, type TakeLease } from './voice/voice-jobs.ts';
import { voiceTransOperations } from './voice/voice-trans.ts';
import { World, type SandboxClock, type SandboxRules } from './world.ts';

export interface SandboxDriverOptions {
  readonly store: Store;
  readonly clock: SandboxClock;
  /**
   * Where the world reports callbacks. The driver-wide sink (not only the one each session is opened with), because a
   * change made on one instance raises callbacks on others (a friend request reaches the receiver's instance).
   */
  readonly sink: DriverEventSink;
  /** Randomness for ids and tickets; tests may make it reproducible (seededRandom). */
  readonly random?: SandboxRandom;
  /** Optional WeChat rules (config); all off when omitted. */
  readonly rules?: SandboxRules;
  /** Blob store, URL fetcher and download links for the CDN (/cloud/*); media calls answer 501 without them. */
  readonly media?: MediaServices & { readonly maxObjectBytes: number };
  /** Speech-to-text for the voice transcription endpoints; they answer 503 (SPEECH_ENGINE_UNAVAILABLE) without one. */
  readonly speech?: SpeechEngine;
  /** In a cluster, the nodes' leases (app.ts passes the cluster's ownership): a transcription runs on one node at a time. */
  readonly leases?: TakeLease;
}

/** What one instance's operations run with: the world, the instance, and the driver-wide media and voice services. */
interface SessionDeps {
  readonly world: World;
  readonly appId: string;
  readonly guid: string;
  readonly media: SandboxMedia | undefined;
  readonly voice: VoiceJobs;
}

/**
 * The operation modules, each building its operations for one instance. They are built per session only when one of
 * their paths is first called there, so an idle online instance holds no closures (issue: 10,000 instances).
 */
const MODULES: ReadonlyArray<(d: SessionDeps) => DriverOperations> = [
  (d) => cloudOperations(d.world, d.media, d.appId, d.guid),
  (d) => voiceTransOperations(d.voice, d.media, d.appId, d.guid),
  (d) => mediaSendOperations(d.world, d.media, d.appId, d.guid),
  (d) => loginOperations(d.world, d.appId, d.guid),
  (d) => userOperations(d.world, d.appId, d.guid),
  (d) => contactOperations(d.world, d.appId, d.guid),
  (d) => msgOperations(d.world, d.appId, d.guid),
  (d) => roomOperations(d.world, d.appId, d.guid),
  (d) => labelOperations(d.world, d.appId, d.guid),
  (d) => snsOperations(d.world, d.appId, d.guid),
  (d) => thirdPartyAppOperations(d.world, d.appId, d.guid),
  (d) => openImOperations(d.world, d.appId, d.guid),
];

/** Which module serves each path; built once (a module's operations do nothing until called). */
const MODULE_OF = new Map<string, number>();
const NO_DEPS = { world: null, appId: '', guid: '', media: undefined, voice: null } as unknown as SessionDeps;
MODULES.forEach((build, index) => {
  for (const path of Object.keys(build(NO_DEPS))) MODULE_OF.set(path, index);
});

/** What the sandbox serves: every path of its modules (checked by a test). */
export const SANDBOX_CAPABILITIES: readonly DriverPath[] = Object.freeze([...MODULE_OF.keys()] as DriverPath[]);

/** A session's state behind its operations: its deps and the modules built for it so far. */
interface SessionOperations {
  readonly deps: SessionDeps;
  readonly built: Array<DriverOperations | undefined>;
}

/** One handler for every session: `operations[path]` builds the path's module for that session on first use. */
const OPERATIONS_HANDLER: ProxyHandler<SessionOperations> = {
  get(target, path) {
    const index = typeof path === 'string' ? MODULE_OF.get(path) : undefined;
    if (index === undefined) return undefined;
    const built = (target.built[index] ??= MODULES[index]!(target.deps));
    return built[path as DriverPath];
  },
  has: (_target, path) => typeof path === 'string' && MODULE_OF.has(path),
  ownKeys: () => [...MODULE_OF.keys()],
  getOwnPropertyDescriptor: (target, path) =>
    typeof path === 'string' && MODULE_OF.has(path) ? { enumerable: true, configurable: true, value: OPERATIONS_HANDLER.get!(target, path, target) } : undefined,
};

export class SandboxDriver implements Driver {
  readonly name = 'sandbox';
  readonly lazySessions = true;
  readonly control: SandboxControl;
  readonly archive: MessageArchive;
  readonly #world: World;
  readonly #media: SandboxMedia | undefined;
  readonly #voice: VoiceJobs;

  constructor(options: SandboxDriverOptions) {
    this.#world = new World({
      store: options.store, clock: options.clock, sink: options.sink, ids: new SandboxIds(options.random ?? cryptoRandom), rules: options.rules,
    });
    if (options.media) {
      const random = options.random ?? cryptoRandom;
      const cdn = new CdnObjects({ store: options.store, blobs: options.media.blobs, random: (n) => random.bytes(n), now: () => options.clock.now() });
      this.#media = { cdn, services: options.media, maxObjectBytes: options.media.maxObjectBytes };
    }
    this.control = new SandboxControl(this.#world, this.#media);
    this.#voice = new VoiceJobs({
      store: options.store, clock: options.clock, random: options.random ?? cryptoRandom, world: this.#world, media: this.#media, engine: options.speech ?? noSpeechEngine,
      leases: options.leases ?? soleNodeLeases,
    });
    this.archive = sandboxArchive(this.#world);
  }

  capabilities(): readonly DriverPath[] {
    return SANDBOX_CAPABILITIES;
  }

  async open(instance: InstanceRecord, _sink: DriverEventSink): Promise<DriverSession> {
    await resumeSession(this.#world, instance.appId, instance.guid);
    const deps: SessionDeps = { world: this.#world, appId: instance.appId, guid: instance.guid, media: this.#media, voice: this.#voice };
    return {
      guid: instance.guid,
      operations: new Proxy<SessionOperations>({ deps, built: [] }, OPERATIONS_HANDLER) as unknown as DriverOperations,
      close: async () => {},
    };
  }

  /** Lets transcriptions in flight finish (bounded by the engine's timeout), so none writes to a closed store. */
  async close(): Promise<void> {
    await this.#voice.close();
  }
}
