// The sandbox driver: a persistent simulated WeChat network per app (people, friendships, logins), wxgate's default
// driver and its test harness. Its world lives in the store; its control surface is /sandbox/* (see docs/sandbox.md).
import type { InstanceRecord, Store } from '../../storage/ports.ts';
import { CdnObjects } from '../cdn/cdn-objects.ts';
import type { Driver, DriverEventSink, DriverOperations, DriverPath, DriverSession, MessageArchive } from '../driver.ts';
import type { MediaServices } from '../media.ts';
import { noSpeechEngine, type SpeechEngine } from '../speech/speech-engine.ts';
import { cloudOperations, type SandboxMedia } from './cloud.ts';
import { mediaSendOperations } from './msg-media.ts';
import { contactOperations } from './contact.ts';
import { SandboxControl } from './control.ts';
import { cryptoRandom, SandboxIds, type SandboxRandom } from './ids.ts';
import { labelOperations } from './label.ts';
import { loginOperations, resumeSession } from './login.ts';
import { sandboxArchive } from './msg-archive.ts';
import { msgOperations } from './msg.ts';
import { openImOperations } from './openim.ts';
import { roomOperations } from './room.ts';
import { snsOperations } from './sns.ts';
import { thirdPartyAppOperations } from './thirdparty-app.ts';
import { userOperations } from './user.ts';
import { VoiceJobs } from './voice-jobs.ts';
import { voiceTransOperations } from './voice-trans.ts';
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
}

function operations(world: World, appId: string, guid: string, media?: SandboxMedia, voice?: VoiceJobs): DriverOperations {
  return { ...cloudOperations(world, media, appId, guid), ...voiceTransOperations(voice!, media, appId, guid), ...mediaSendOperations(world, media, appId, guid), ...loginOperations(world, appId, guid), ...userOperations(world, appId, guid), ...contactOperations(world, appId, guid), ...msgOperations(world, appId, guid),
    ...roomOperations(world, appId, guid), ...labelOperations(world, appId, guid), ...snsOperations(world, appId, guid),
    ...thirdPartyAppOperations(world, appId, guid), ...openImOperations(world, appId, guid) };
}

/** What the sandbox serves: every key of a session's operations (checked by a test). */
export const SANDBOX_CAPABILITIES: readonly DriverPath[] = Object.freeze(Object.keys(operations(null as never, '', '')) as DriverPath[]);

export class SandboxDriver implements Driver {
  readonly name = 'sandbox';
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
    });
    this.archive = sandboxArchive(this.#world);
  }

  capabilities(): readonly DriverPath[] {
    return SANDBOX_CAPABILITIES;
  }

  async open(instance: InstanceRecord, _sink: DriverEventSink): Promise<DriverSession> {
    await resumeSession(this.#world, instance.appId, instance.guid);
    return {
      guid: instance.guid,
      operations: operations(this.#world, instance.appId, instance.guid, this.#media, this.#voice),
      close: async () => {},
    };
  }

  /** Lets transcriptions in flight finish (bounded by the engine's timeout), so none writes to a closed store. */
  async close(): Promise<void> {
    await this.#voice.close();
  }
}
