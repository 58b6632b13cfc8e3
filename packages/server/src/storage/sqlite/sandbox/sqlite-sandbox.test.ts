// Unit tests of the sandbox world on SQLite: per-app partitioning, stable contact seqs, stranger names that stay,
// and a reset that removes one app's world only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SandboxPerson } from '../../sandbox-ports.ts';
import { SqliteStore } from '../sqlite-store.ts';

const person = (appId: string, wxid: string, extra: Partial<SandboxPerson> = {}): SandboxPerson => ({
  appId, wxid, alias: '', nickname: wxid, sex: 0, signature: '', country: 'CN', province: '', city: '', phone: '', qq: '',
  bigHeadImgUrl: '', smallHeadImgUrl: '', needsVerification: true, kind: 'simulated', createdAt: 1, ...extra,
});

test('the sandbox world is partitioned by app, pages contacts by stable seqs, and resets one app at a time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-sandbox-store-'));
  const store = new SqliteStore(join(dir, 'db.sqlite'));
  try {
    const w = store.sandbox;
    await w.people.insert(person('app1', 'wxid_a', { alias: 'same_alias', phone: '1300' }));
    await w.people.insert(person('app2', 'wxid_a', { alias: 'same_alias', phone: '1300' }));
    await assert.rejects(w.people.insert(person('app1', 'wxid_b', { alias: 'same_alias' })), /UNIQUE/);
    assert.equal((await w.people.findBy('app1', 'alias', 'same_alias'))?.appId, 'app1');
    assert.equal(await w.people.findBy('app1', 'phone', ''), undefined, 'empty values never match');

    const added = [];
    for (const contact of ['wxid_c', 'wxid_d', 'wxid_e']) {
      added.push(await w.contacts.add({ appId: 'app1', ownerWxid: 'wxid_a', contactWxid: contact, remark: '', pinned: false, addScene: 3, createdAt: 1 }));
    }
    const again = await w.contacts.add({ appId: 'app1', ownerWxid: 'wxid_a', contactWxid: 'wxid_c', remark: 'new', pinned: true, addScene: 15, createdAt: 2 });
    assert.deepEqual(again, added[0], 'adding an existing entry keeps it (and its seq)');
    await w.contacts.update('app1', 'wxid_a', 'wxid_c', { remark: 'r', pinned: true });
    const page = await w.contacts.page('app1', 'wxid_a', added[0]!.seq, 10);
    assert.deepEqual(page.map((e) => e.contactWxid), ['wxid_d', 'wxid_e']);
    assert.ok(added[0]!.seq < added[1]!.seq && added[1]!.seq < added[2]!.seq);
    assert.equal(await w.contacts.count('app2', 'wxid_a'), 0);

    const first = await w.strangerTickets.issue({ appId: 'app1', viewerWxid: 'wxid_a', targetWxid: 'wxid_x', encryptUsername: 'v3_1', ticket: 'v4_1', expiresAt: 10 });
    const second = await w.strangerTickets.issue({ appId: 'app1', viewerWxid: 'wxid_a', targetWxid: 'wxid_x', encryptUsername: 'v3_2', ticket: 'v4_2', expiresAt: 20 });
    assert.deepEqual([first.encryptUsername, second.encryptUsername, second.ticket, second.expiresAt], ['v3_1', 'v3_1', 'v4_2', 20]);
    assert.equal((await w.strangerTickets.byEncryptUsername('app1', 'wxid_a', 'v3_1'))?.targetWxid, 'wxid_x');
    assert.equal(await w.strangerTickets.byEncryptUsername('app2', 'wxid_a', 'v3_1'), undefined);

    await w.loginSessions.put({ guid: 'g1', appId: 'app1', attempt: null, lastWxid: 'wxid_a', syncFailed: true });
    assert.deepEqual(await w.loginSessions.get('g1'), { guid: 'g1', appId: 'app1', attempt: null, lastWxid: 'wxid_a', syncFailed: true });

    assert.equal(await w.reset('app1'), 1);
    assert.equal(await w.people.count('app1'), 0);
    assert.equal(await w.contacts.count('app1', 'wxid_a'), 0);
    assert.equal(await w.loginSessions.get('g1'), undefined);
    assert.equal(await w.people.count('app2'), 1, 'the other app keeps its world');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
