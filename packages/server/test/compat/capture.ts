// A fresh in-process wxgate with a webhook receiver, the callbacks it delivered, and the media the compat tests send.
import assert from 'node:assert/strict';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CALLBACK_PAYLOADS } from '@wxgate/contract';
import { startHarness, type Harness } from '../harness.ts';
import { Receiver, type Received } from '../receiver.ts';
import { ok } from '../sandbox-helpers.ts';

const FAST = { webhook: { timeoutMs: 2000, retrySchedule: [0, 0.05, 0.1], maxInFlight: 64 } };

export interface Capture {
  readonly h: Harness;
  readonly receiver: Receiver;
  /** An instance whose callbacks reach the receiver, with a new person logged in on it. */
  account(person?: Record<string, unknown>): Promise<{ guid: string; wxid: string }>;
  /** `to` accepts a friend request from `from` (as their phones). */
  befriend(from: string, to: string): Promise<void>;
  /** Alice and Bob logged in, hooked and friends. */
  aliceAndBob(): Promise<{ alice: { guid: string; wxid: string }; bob: { guid: string; wxid: string } }>;
  /**
   * The `data` of the first callback of `notifyType` to `guid` that `match` accepts, waiting for it to arrive; it must
   * fit the contract's payload schema for its type (the SDK's `CallbackEvent` is generated from it).
   */
  callback(guid: string, notifyType: number, match?: (data: any) => boolean): Promise<any>;
  /** Every callback `guid` got so far, in order. */
  of(guid: string): Received[];
  close(): Promise<void>;
}

/** Real timers (webhooks are delivered by them) with a shiftable clock. */
export async function startCapture(): Promise<Capture> {
  const h = await startHarness(FAST, undefined, { realTime: true });
  const receiver = await new Receiver().start();
  const of = (guid: string) => receiver.received.filter((r) => r.json.guid === guid);
  const capture: Capture = {
    h,
    receiver,
    of,
    async account(person = {}) {
      const guid = await h.createInstance({ auto_start: true });
      await ok(h.direct('/client/set_notify_url', { guid, notify_url: receiver.url }));
      const { wxid } = await ok(h.direct('/sandbox/people/create', person));
      await ok(h.direct('/login/get_login_qrcode', { guid }));
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid }));
      await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
      return { guid, wxid };
    },
    async befriend(from, to) {
      await ok(h.direct('/sandbox/friend/request', { from_wxid: from, to_wxid: to }));
      await ok(h.direct('/sandbox/friend/accept', { from_wxid: from, to_wxid: to }));
    },
    async aliceAndBob() {
      const alice = await capture.account({ nickname: 'Alice' });
      const bob = await capture.account({ nickname: 'Bob' });
      await capture.befriend(alice.wxid, bob.wxid);
      return { alice, bob };
    },
    async callback(guid, notifyType, match = () => true) {
      const found = () => of(guid).find((r) => r.json.notify_type === notifyType && match(r.json.data));
      await receiver.until(() => found() !== undefined);
      const data = found()!.json.data;
      const schema = (CALLBACK_PAYLOADS as Readonly<Record<number, TSchema | undefined>>)[notifyType];
      assert.ok(schema, `the contract declares no payload for notify_type ${notifyType}`);
      const misfits = [...Value.Errors(schema, data)].map((e) => `${e.path || '/'}: ${e.message}`);
      assert.deepEqual(misfits, [], `a ${notifyType} callback does not fit the contract's payload`);
      return data;
    },
    async close() {
      await h.close();
      await receiver.close();
    },
  };
  return capture;
}

/** Content as a data: URL, which cdn_upload and send_media take. */
export const dataUrl = (b: Buffer): string => `data:application/octet-stream;base64,${b.toString('base64')}`;

/** A one-second MP4 made by ffmpeg, or null where there is no ffmpeg (video checks are then skipped). */
export { testVideo } from '../system-programs.ts';
