// Conformance: transactions (commit, rollback on throw, afterCommit, nesting) and the guarantees concurrent writers
// rely on — gap-free event numbering, unique label ids, archive order, one claimer per voice job, the room cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../ports.ts';
import { idSequence, instanceRecord, personRecord, seedApp, withStore, type StoreFactory } from './subject.ts';

export const TRANSACTION_METHODS = ['transaction', 'ping'] as const;

/** How many writers race in the concurrency tests: enough to interleave on any store, few enough to stay quick. */
const WRITERS = 64;
/** WeChat's member limit, enforced by the sandbox driver (driver/sandbox/room/room-membership.ts) inside one transaction. */
const ROOM_MEMBER_LIMIT = 500;

/** Lets other promises run, so concurrent transactions really overlap where a store allows it. */
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const newMessage = (appId: string, n: number) => ({
  appId, msgId: `m${n}`, localId: n, clientMsgId: n, session: 'wxid_a|wxid_b', fromWxid: 'wxid_a', toUsername: 'wxid_b', chatroom: '',
  msgType: 1, appType: 0, content: `#${n}`, source: '', pushDesc: '', refersTo: '', createdAt: n,
});

export function transactionConformance(make: StoreFactory): void {
  test('ping answers; a transaction commits everything it wrote and answers its result', () => withStore(make, async (store) => {
    await store.ping();
    await seedApp(store, 'app-a');
    const result = await store.transaction(async (tx) => {
      await tx.ping();
      await tx.instances.insert(instanceRecord('g1', 'app-a'));
      await tx.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }], 1, idSequence('e'));
      assert.equal((await tx.instances.get('g1'))?.guid, 'g1', 'a transaction reads its own writes');
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal((await store.instances.get('g1'))?.guid, 'g1');
    assert.equal(await store.events.lastSn('g1'), 1);
  }));

  test('a throw rolls back every write, answers the error, and runs no afterCommit hook', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    let hookRan = false;
    await assert.rejects(store.transaction(async (tx) => {
      await tx.instances.update('g1', { notifyUrl: 'http://changed' }, 5);
      await tx.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }], 1, idSequence('e'));
      await tx.sandbox.people.insert(personRecord('app-a', 'wxid_a'));
      await tx.sandbox.labels.create('app-a', 'wxid_a', 'gone');
      tx.afterCommit(() => (hookRan = true));
      throw new Error('boom');
    }), /boom/);
    assert.equal(hookRan, false);
    assert.equal((await store.instances.get('g1'))?.notifyUrl, '');
    assert.equal(await store.events.lastSn('g1'), 0);
    assert.equal(await store.sandbox.people.get('app-a', 'wxid_a'), undefined);
    assert.equal((await store.sandbox.labels.create('app-a', 'wxid_a', 'first')).labelId, 1, 'a rolled-back label id is not burnt');
    const [event] = await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }], 1, idSequence('f'));
    assert.equal(event?.sn, 1, 'a rolled-back sn is handed out again: readers never saw it');
  }));

  test('a failed statement inside a transaction rolls back the writes before it', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await assert.rejects(store.transaction(async (tx) => {
      await tx.instances.insert(instanceRecord('g1', 'app-a'));
      await tx.instances.insert(instanceRecord('g1', 'app-a'));
    }));
    assert.equal(await store.instances.get('g1'), undefined);
    await store.instances.insert(instanceRecord('g1', 'app-a'));
  }));

  test('nobody outside a transaction sees its writes before the commit, nor ever when it rolls back', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const failing = store.transaction(async (tx) => {
      await tx.instances.insert(instanceRecord('g1', 'app-a'));
      wrote();
      await gate;
      throw new Error('rolled back');
    });
    await written;
    const outsideRead = store.instances.get('g1');
    release();
    await assert.rejects(failing, /rolled back/);
    assert.equal(await outsideRead, undefined, 'a read issued while the transaction was open saw no uncommitted row');
  }));

  test('afterCommit hooks run once, in order, only after the commit is visible; a nested transaction joins the outer', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const seen: string[] = [];
    await store.transaction(async (tx) => {
      tx.afterCommit(() => seen.push('first'));
      await tx.instances.insert(instanceRecord('g1', 'app-a'));
      await tx.transaction(async (inner) => {
        await inner.instances.insert(instanceRecord('g2', 'app-a'));
        inner.afterCommit(() => seen.push('inner'));
      });
      tx.afterCommit(() => seen.push('last'));
      assert.deepEqual(seen, [], 'nothing runs before the outer commit, the inner transaction\'s end included');
    });
    assert.deepEqual(seen, ['first', 'inner', 'last']);
    assert.equal(await store.instances.countByApp('app-a'), 2);

    await assert.rejects(store.transaction(async (tx) => {
      await tx.transaction(async (inner) => inner.instances.insert(instanceRecord('g3', 'app-a')));
      throw new Error('outer fails');
    }), /outer fails/);
    assert.equal(await store.instances.get('g3'), undefined, 'the inner write went with the outer rollback');
    await store.transaction(async (tx) => {
      await assert.rejects(tx.transaction(async () => {
        throw new Error('inner fails');
      }), /inner fails/);
    });
  }));

  test('a throwing afterCommit hook keeps the commit, lets the other hooks run, and is the error answered', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const ran: string[] = [];
    await assert.rejects(store.transaction(async (tx) => {
      await tx.instances.insert(instanceRecord('g1', 'app-a'));
      tx.afterCommit(() => ran.push('before'));
      tx.afterCommit(() => {
        throw new Error('hook failed');
      });
      tx.afterCommit(() => ran.push('after'));
    }), /hook failed/);
    assert.deepEqual(ran, ['before', 'after']);
    assert.equal((await store.instances.get('g1'))?.guid, 'g1', 'committed all the same');
  }));

  test('the store works on after a hook and a transaction failed', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await assert.rejects(store.transaction(async (tx) => {
      tx.afterCommit(() => {
        throw new Error('hook');
      });
    }));
    await assert.rejects(store.transaction(async () => {
      throw new Error('first');
    }));
    await store.transaction(async (tx) => tx.instances.insert(instanceRecord('g1', 'app-a')));
    await store.instances.insert(instanceRecord('g2', 'app-a'));
    assert.equal(await store.instances.countByApp('app-a'), 2);
  }));

  test(`${WRITERS} parallel transactions appending to one instance yield a strictly increasing, gap-free sn sequence`, () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const ids = idSequence('e');
    const batches = await Promise.all(Array.from({ length: WRITERS }, (_, writer) => store.transaction(async (tx) => {
      await yieldTurn();
      const events = await tx.events.append('app-a', 'g1', [{ notifyType: 1010, data: { writer, part: 0 } }, { notifyType: 1010, data: { writer, part: 1 } }], writer, ids);
      await yieldTurn();
      return events.map((e) => e.sn);
    })));
    for (const sns of batches) assert.equal(sns[1], sns[0]! + 1, 'one transaction\'s events are numbered together');
    const all = batches.flat().sort((x, y) => x - y);
    assert.deepEqual(all, Array.from({ length: WRITERS * 2 }, (_, i) => i + 1));
    const listed = await store.events.list({ guid: 'g1', afterSn: 0, limit: WRITERS * 4 });
    assert.deepEqual(listed.map((e) => e.sn), all);
    assert.equal(await store.events.lastSn('g1'), WRITERS * 2);
  }));

  test(`${WRITERS} parallel transactions appending to two instances at once, named in either order, never deadlock and stay gap-free`, () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    const ids = idSequence('m');
    await Promise.all(Array.from({ length: WRITERS }, (_, writer) => store.transaction(async (tx) => {
      await yieldTurn();
      const guids = writer % 2 ? ['g1', 'g2'] : ['g2', 'g1'];
      await tx.events.appendMany(guids.map((guid) => ({ appId: 'app-a', guid, events: [{ notifyType: 1010, data: { writer } }] })), writer, ids);
      await yieldTurn();
    })));
    for (const guid of ['g1', 'g2']) {
      const listed = await store.events.list({ guid, afterSn: 0, limit: WRITERS * 2 });
      assert.deepEqual(listed.map((e) => e.sn), Array.from({ length: WRITERS }, (_, i) => i + 1));
    }
  }));

  test('parallel label creation by one owner hands out unique ids 1..n', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const labels = await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.transaction(async (tx) => {
      await yieldTurn();
      return tx.sandbox.labels.create('app-a', 'wxid_owner', `label ${n}`);
    })));
    assert.deepEqual(labels.map((l) => l.labelId).sort((x, y) => x - y), Array.from({ length: WRITERS }, (_, i) => i + 1));
    assert.equal((await store.sandbox.labels.list('app-a', 'wxid_owner')).length, WRITERS);
  }));

  // "In commit order" as a reader can observe it: every snapshot taken while the writers run is a prefix of the final
  // order, so a reader paging by seq never passes one that commits later. (Not the order callers hear of their commits:
  // PostgreSQL releases a transaction's locks before its COMMIT reply reaches the client, so replies can arrive in
  // another order; nothing reads seqs from those.)
  test('parallel archive inserts get distinct seqs; a reader never sees a later seq before an earlier one; conversations read back in seq order', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const list = async () => (await store.sandbox.messages.listSession('app-a', 'wxid_a|wxid_b', 0, WRITERS * 2)).map((m) => m.seq);
    const snapshots: number[][] = [];
    let writing = true;
    const reader = (async () => {
      while (writing) {
        snapshots.push(await list());
        await yieldTurn();
      }
    })();
    const seqs = await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.transaction(async (tx) => {
      await yieldTurn();
      return (await tx.sandbox.messages.insert(newMessage('app-a', n))).seq;
    })));
    writing = false;
    await reader;
    assert.equal(new Set(seqs).size, WRITERS);
    const inOrder = [...seqs].sort((x, y) => x - y);
    assert.deepEqual(await list(), inOrder);
    assert.ok(snapshots.length > 1, 'the reader ran while the writers did');
    for (const snapshot of snapshots) assert.deepEqual(snapshot, inOrder.slice(0, snapshot.length), 'a snapshot never skips a seq that commits later');
    assert.equal(await store.sandbox.messages.maxSeq('app-a'), inOrder.at(-1));
  }));

  // The send path's shape: archive insert and callbacks held back to the commit (PostgreSQL pipelines them with COMMIT).
  test(`${WRITERS} parallel transactions archiving and appending with the commit: seqs in commit order as readers see them, sns gap-free`, () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const ids = idSequence('c');
    const list = async () => (await store.sandbox.messages.listSession('app-a', 'wxid_a|wxid_b', 0, WRITERS * 2)).map((m) => m.msgId);
    const snapshots: string[][] = [];
    let writing = true;
    const reader = (async () => {
      while (writing) {
        snapshots.push(await list());
        await yieldTurn();
      }
    })();
    await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.transaction(async (tx) => {
      await yieldTurn();
      const message = newMessage('app-a', n);
      await tx.sandbox.messages.insertWithCommit(message);
      await tx.events.appendWithCommit([{ appId: 'app-a', guid: 'g1', events: [{ notifyType: 1010, data: { msg_id: message.msgId } }] }], n, ids);
    }, { serializeOn: 'sandbox-world:app-a', shared: true })));
    writing = false;
    await reader;
    const final = await list();
    assert.equal(final.length, WRITERS);
    for (const snapshot of snapshots) assert.deepEqual(snapshot, final.slice(0, snapshot.length), 'a snapshot never skips a message that commits later');
    const events = await store.events.list({ guid: 'g1', afterSn: 0, limit: WRITERS * 2 });
    assert.deepEqual(events.map((e) => e.sn), Array.from({ length: WRITERS }, (_, i) => i + 1));
    assert.deepEqual(new Set(events.map((e) => (e.data as { msg_id: string }).msg_id)), new Set(final), 'each message has its event');
  }));

  test('racing upserts agree: one contact entry and seq, the first device login, the highest stream cursor', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const entry = { appId: 'app-a', ownerWxid: 'wxid_a', contactWxid: 'wxid_b', remark: '', pinned: false, addScene: 3, createdAt: 1 };
    const added = await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.sandbox.contacts.add({ ...entry, remark: `r${n}` })));
    assert.equal(new Set(added.map((e) => `${e.seq}/${e.remark}`)).size, 1, 'every caller got the one stored entry');
    assert.equal(await store.sandbox.contacts.count('app-a', 'wxid_a'), 1);
    const firsts = await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.sandbox.deviceLogins.record('app-a', 'g1', 'wxid_a', 100 + n)));
    assert.equal(new Set(firsts).size, 1);
    assert.equal(await store.sandbox.deviceLogins.firstLogin('g1', 'wxid_a'), firsts[0]);
    await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.events.setCursor('g1', 'ws', (n * 37) % WRITERS, n)));
    assert.equal(await store.events.cursor('g1', 'ws'), WRITERS - 1);
  }));

  test('a voice job claimed by read-check-write in a transaction goes to exactly one of many claimers', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    await store.voice.insert({
      voiceId: 'v1', guid: 'g1', appId: 'app-a', state: 'created', source: null, msgId: '', lengthMs: 0, nextSeq: null, receivedBytes: 0,
      text: '', error: '', errorMessage: '', createdAt: 1, updatedAt: 1,
    });
    // The claim voice-jobs.ts makes: the port has no claim method; transactions serialized on the job are what is promised.
    const claims = await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.transaction(async (tx) => {
      const current = await tx.voice.get('g1', 'v1');
      await yieldTurn();
      if (current?.state !== 'created') return false;
      await tx.voice.update('g1', 'v1', { state: 'running', msgId: `claimer-${n}` }, 2);
      return true;
    }, { serializeOn: 'voice-job:g1:v1' })));
    assert.equal(claims.filter(Boolean).length, 1);
    const winner = claims.indexOf(true);
    assert.equal((await store.voice.get('g1', 'v1'))?.msgId, `claimer-${winner}`);
  }));

  test('a key taken shared admits other shared takers, and a transaction taking it alone overlaps none of them', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    let shared = 0;
    let alone = 0;
    let mostShared = 0;
    const violations: string[] = [];
    const hold = async (tx: Store, exclusive: boolean) => {
      if (exclusive) alone += 1;
      else mostShared = Math.max(mostShared, ++shared);
      if (exclusive ? shared > 0 || alone > 1 : alone > 0) violations.push(`${exclusive ? 'alone' : 'shared'}: ${shared} shared, ${alone} alone`);
      for (let turn = 0; turn < 3; turn++) {
        await tx.instances.get('g1');
        await yieldTurn();
      }
      if (exclusive) alone -= 1;
      else shared -= 1;
    };
    // World.addMessages takes the app's key shared, World.change takes it alone: every fourth is a change.
    await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.transaction((tx) => hold(tx, n % 4 === 0),
      { serializeOn: 'sandbox-world:app-a', shared: n % 4 !== 0 })));
    assert.deepEqual(violations, []);
    if (store.kind === 'postgres') assert.ok(mostShared > 1, `shared takers should run side by side on PostgreSQL (at most ${mostShared} did)`);
  }));

  test(`concurrent room joins checked in their transaction keep the ${ROOM_MEMBER_LIMIT}-member cap`, () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await store.sandbox.rooms.insert({
      appId: 'app-a', roomId: 'r1@chatroom', name: '', ownerWxid: 'wxid_m0', announcement: '', announcementEditor: '', announcementAt: 0,
      version: 1, infoVersion: 1, qrcodeIssuedAt: null, createdAt: 1,
    });
    await fillRoom(store, ROOM_MEMBER_LIMIT - 3);
    // The cap is the driver's rule (requireRoomFor), checked and applied in one change of the app's world (World.change
    // serializes those): the store promises that transactions serialized on one key never overlap.
    const joins = await Promise.all(Array.from({ length: WRITERS }, (_, n) => store.transaction(async (tx) => {
      const count = await tx.sandbox.rooms.memberCount('app-a', 'r1@chatroom');
      await yieldTurn();
      if (count + 1 > ROOM_MEMBER_LIMIT) return false;
      await tx.sandbox.rooms.addMember(member(`wxid_join${n}`, n));
      return true;
    }, { serializeOn: 'sandbox-world:app-a' })));
    assert.equal(joins.filter(Boolean).length, 3);
    assert.equal(await store.sandbox.rooms.memberCount('app-a', 'r1@chatroom'), ROOM_MEMBER_LIMIT);
  }));
}

const member = (wxid: string, joinedAt: number) => ({
  appId: 'app-a', roomId: 'r1@chatroom', wxid, displayName: '', inviterWxid: 'wxid_m0', admin: false, showNames: false, folded: false,
  muted: false, pinned: false, joinedAt,
});

async function fillRoom(store: Store, count: number): Promise<void> {
  await store.transaction(async (tx) => {
    for (let i = 0; i < count; i++) await tx.sandbox.rooms.addMember(member(`wxid_m${i}`, i));
  });
}
