// The storage conformance suite: one set of tests, written against the storage port (storage/ports.ts), that every
// Store must pass (SQLite now, PostgreSQL next). A store's test file calls describeStorageConformance with a factory.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Store } from '../ports.ts';
import { coreConformance, CORE_METHODS } from './core.ts';
import { eventConformance, EVENT_METHODS } from './events.ts';
import { mediaVoicePacingConformance, MEDIA_VOICE_PACING_METHODS } from './media-voice-pacing.ts';
import { payloadConformance } from './payloads.ts';
import { relayConformance, RELAY_METHODS } from './relay.ts';
import { sandboxMessageConformance, SANDBOX_MESSAGE_METHODS } from './sandbox-messages.ts';
import { sandboxOpenImConformance, SANDBOX_OPENIM_METHODS } from './sandbox-openim.ts';
import { sandboxPeopleConformance, SANDBOX_PEOPLE_METHODS } from './sandbox-people.ts';
import { sandboxRoomConformance, SANDBOX_ROOM_METHODS } from './sandbox-rooms.ts';
import { transactionConformance, TRANSACTION_METHODS } from './transactions.ts';
import { wechatyConformance, WECHATY_METHODS } from './wechaty.ts';
import { ilinkConformance, ilinkQrConformance, ILINK_METHODS } from './ilink.ts';
import { ilinkLinkConformance, ILINK_LINK_METHODS } from './ilink-links.ts';
import type { StoreFactory } from './subject.ts';

export type { StoreFactory } from './subject.ts';

/** Every port method the suite tests, as `group.method` paths (`sandbox.rooms.addMember`); each group file declares its own. */
export const COVERED_METHODS: readonly string[] = [
  ...CORE_METHODS, ...EVENT_METHODS, ...TRANSACTION_METHODS, ...SANDBOX_PEOPLE_METHODS, ...SANDBOX_ROOM_METHODS,
  ...SANDBOX_MESSAGE_METHODS, ...SANDBOX_OPENIM_METHODS, ...RELAY_METHODS, ...MEDIA_VOICE_PACING_METHODS,
  ...WECHATY_METHODS, ...ILINK_METHODS, ...ILINK_LINK_METHODS,
];

/** Store members that are not repositories of rows: lifecycle, tested by the transaction group or by every test. */
const LIFECYCLE = new Set(['kind', 'close']);

/** The methods a store actually has, found at runtime by walking its repository objects. */
export function portMethods(store: Store): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (typeof value === 'function') found.push(path);
    else if (value !== null && typeof value === 'object' && depth < 3) {
      for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
    }
  };
  for (const key of [...Object.keys(store), 'transaction', 'ping']) {
    if (!LIFECYCLE.has(key)) walk((store as unknown as Record<string, unknown>)[key], key, 0);
  }
  return [...new Set(found)].sort();
}

/** Declared methods no test of the suite calls: each must appear as `.<repository>.<method>(` in a group's source. */
export function uncalledMethods(declared: readonly string[]): string[] {
  const dir = new URL('.', import.meta.url);
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'storage-conformance.ts')
    .map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
  return declared.filter((method) => !sources.includes(`.${method.split('.').slice(-2).join('.')}(`));
}

export function describeStorageConformance(name: string, make: StoreFactory): void {
  describe(`storage conformance: ${name}`, () => {
    test('every port method of the store has conformance tests (a new method needs them before it passes)', async () => {
      const subject = await make();
      try {
        const methods = portMethods(subject.store);
        const covered = new Set(COVERED_METHODS);
        assert.deepEqual(methods.filter((m) => !covered.has(m)), [], 'port methods without conformance tests');
        assert.deepEqual([...covered].filter((m) => !methods.includes(m)).sort(), [], 'declared as covered but not on the store');
        assert.equal(new Set(COVERED_METHODS).size, COVERED_METHODS.length, 'a method is declared by two groups');
        assert.deepEqual(uncalledMethods(COVERED_METHODS), [], 'declared as covered but called by no test');
      } finally {
        await subject.close();
      }
    });
    describe('transactions and concurrent writers', () => transactionConformance(make));
    describe('apps, instances, quota, signing secrets', () => coreConformance(make));
    describe('events (the outbox)', () => eventConformance(make));
    describe('sandbox world: people, contacts, tickets, requests, sessions, device logins', () => sandboxPeopleConformance(make));
    describe('sandbox world: rooms and labels', () => sandboxRoomConformance(make));
    describe('sandbox world: messages and Moments', () => sandboxMessageConformance(make));
    describe('sandbox world: OpenIM and third-party apps', () => sandboxOpenImConformance(make));
    describe('relay: mappings, dedup, mirror', () => relayConformance(make));
    describe('media index, voice jobs, send pacing', () => mediaVoicePacingConformance(make));
    describe('wechaty bridge tokens', () => wechatyConformance(make));
    describe('ilink bridge bots', () => ilinkConformance(make));
    describe('ilink bridge QR codes', () => ilinkQrConformance(make));
    describe('ilink driver links', () => ilinkLinkConformance(make));
    describe('large payloads, unicode, time', () => payloadConformance(make));
  });
}
