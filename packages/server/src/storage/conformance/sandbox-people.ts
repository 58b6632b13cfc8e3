// Conformance: the sandbox world's people, one-way contact entries with their InitContact cursor, stranger tickets,
// friend requests, login sessions, first device logins, and the per-app world reset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxFriendRequest, SandboxLoginSession } from '../ports.ts';
import { personRecord, seedApp, withStore, type StoreFactory } from './subject.ts';

export const SANDBOX_PEOPLE_METHODS = [
  'sandbox.people.insert', 'sandbox.people.get', 'sandbox.people.findBy', 'sandbox.people.list', 'sandbox.people.count',
  'sandbox.people.nicknamesIn', 'sandbox.people.nicknamesStartingWith', 'sandbox.people.update',
  'sandbox.contacts.add', 'sandbox.contacts.get', 'sandbox.contacts.update', 'sandbox.contacts.remove', 'sandbox.contacts.page', 'sandbox.contacts.count',
  'sandbox.strangerTickets.issue', 'sandbox.strangerTickets.get', 'sandbox.strangerTickets.byEncryptUsername',
  'sandbox.friendRequests.put', 'sandbox.friendRequests.get', 'sandbox.friendRequests.setState',
  'sandbox.loginSessions.get', 'sandbox.loginSessions.put', 'sandbox.loginSessions.account',
  'sandbox.deviceLogins.record', 'sandbox.deviceLogins.firstLogin',
  'sandbox.reset',
] as const;

const entry = (owner: string, contact: string, createdAt = 1) => ({
  appId: 'app-a', ownerWxid: owner, contactWxid: contact, remark: '', pinned: false, addScene: 3, createdAt,
});

export function sandboxPeopleConformance(make: StoreFactory): void {
  test('people round-trip, are found by wxid, alias, phone and qq within their app, listed oldest first', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await seedApp(store, 'app-b');
    const alice = personRecord('app-a', 'wxid_alice', {
      alias: 'alice_w', nickname: 'Alice', sex: 2, signature: 'hi', province: 'Guangdong', city: 'Shenzhen', phone: '13800000000', qq: '10001',
      bigHeadImgUrl: 'https://x/big', smallHeadImgUrl: 'https://x/small', needsVerification: false, kind: 'account', createdAt: 20,
    });
    await store.sandbox.people.insert(alice);
    await store.sandbox.people.insert(personRecord('app-a', 'wxid_bob', { nickname: 'Bob', createdAt: 10 }));
    await store.sandbox.people.insert(personRecord('app-b', 'wxid_alice', { nickname: 'Other Alice' }));
    assert.deepEqual(await store.sandbox.people.get('app-a', 'wxid_alice'), alice);
    for (const [key, value] of [['wxid', 'wxid_alice'], ['alias', 'alice_w'], ['phone', '13800000000'], ['qq', '10001']] as const) {
      assert.equal((await store.sandbox.people.findBy('app-a', key, value))?.nickname, 'Alice', key);
    }
    assert.equal(await store.sandbox.people.findBy('app-a', 'phone', '13900000000'), undefined);
    assert.equal(await store.sandbox.people.get('app-a', 'wxid_none'), undefined);
    assert.deepEqual((await store.sandbox.people.list('app-a', 0, 10)).map((p) => p.wxid), ['wxid_bob', 'wxid_alice']);
    assert.deepEqual((await store.sandbox.people.list('app-a', 1, 10)).map((p) => p.wxid), ['wxid_alice']);
    assert.equal(await store.sandbox.people.count('app-a'), 2);
    for (const wxid of ['wxid_z', 'wxid_m']) await store.sandbox.people.insert(personRecord('app-a', wxid, { createdAt: 10 }));
    assert.deepEqual((await store.sandbox.people.list('app-a', 0, 10)).map((p) => p.wxid), ['wxid_bob', 'wxid_z', 'wxid_m', 'wxid_alice'], 'equal times: insertion order');
    assert.equal(await store.sandbox.people.count('app-a'), 4);
    await assert.rejects(store.sandbox.people.insert(personRecord('app-a', 'wxid_bob')), 'a wxid is unique in its app');
    await store.sandbox.people.update('app-a', 'wxid_bob', { kind: 'account' });
    assert.equal((await store.sandbox.people.get('app-a', 'wxid_bob'))?.kind, 'account');
    assert.equal((await store.sandbox.people.get('app-b', 'wxid_alice'))?.kind, 'simulated', 'the other app\'s person is untouched');
  }));

  test('nicknames in use: exact matches, and those starting with a prefix (the prefix itself included)', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    for (const [wxid, nickname] of [['w1', '小明'], ['w2', '小明2'], ['w3', '小明 3'], ['w4', '小红'], ['w5', 'Ming']]) {
      await store.sandbox.people.insert(personRecord('app-a', wxid!, { nickname }));
    }
    assert.deepEqual((await store.sandbox.people.nicknamesIn('app-a', ['小明', 'Ming', '无名'])).sort(), ['Ming', '小明']);
    assert.deepEqual(await store.sandbox.people.nicknamesIn('app-a', []), []);
    assert.deepEqual((await store.sandbox.people.nicknamesStartingWith('app-a', '小明')).sort(), ['小明', '小明 3', '小明2']);
    assert.deepEqual(await store.sandbox.people.nicknamesStartingWith('app-b', '小明'), []);
  }));

  test('contact entries are one-way, keep their seq when added again, page by a cursor never reused', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const first = await store.sandbox.contacts.add({ ...entry('wxid_a', 'wxid_b'), remark: 'B' });
    const second = await store.sandbox.contacts.add(entry('wxid_a', 'wxid_c'));
    assert.ok(second.seq > first.seq);
    assert.deepEqual(first, { ...entry('wxid_a', 'wxid_b'), remark: 'B', seq: first.seq, labelIds: [] });
    const again = await store.sandbox.contacts.add({ ...entry('wxid_a', 'wxid_b'), remark: 'ignored' });
    assert.deepEqual(again, first, 'adding an existing entry keeps it');
    assert.equal(await store.sandbox.contacts.get('app-a', 'wxid_b', 'wxid_a'), undefined, 'one-way');

    await store.sandbox.contacts.update('app-a', 'wxid_a', 'wxid_b', { pinned: true });
    await store.sandbox.contacts.update('app-a', 'wxid_a', 'wxid_b', { remark: '老B' });
    assert.deepEqual(await store.sandbox.contacts.get('app-a', 'wxid_a', 'wxid_b'), { ...first, remark: '老B', pinned: true });
    assert.deepEqual((await store.sandbox.contacts.page('app-a', 'wxid_a', 0, 1)).map((e) => e.contactWxid), ['wxid_b']);
    assert.deepEqual((await store.sandbox.contacts.page('app-a', 'wxid_a', first.seq, 10)).map((e) => e.contactWxid), ['wxid_c']);
    assert.equal(await store.sandbox.contacts.count('app-a', 'wxid_a'), 2);

    assert.equal(await store.sandbox.contacts.remove('app-a', 'wxid_a', 'wxid_b'), true);
    assert.equal(await store.sandbox.contacts.remove('app-a', 'wxid_a', 'wxid_b'), false);
    const back = await store.sandbox.contacts.add(entry('wxid_a', 'wxid_b'));
    assert.ok(back.seq > second.seq, 'a re-added contact gets a new cursor, past every earlier one');
    assert.deepEqual((await store.sandbox.contacts.page('app-a', 'wxid_a', second.seq, 10)).map((e) => e.contactWxid), ['wxid_b']);
  }));

  test('stranger tickets keep the v3 name per (viewer, target) and replace the v4 ticket', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const ticket = { appId: 'app-a', viewerWxid: 'wxid_v', targetWxid: 'wxid_t', encryptUsername: 'v3_first@stranger', ticket: 'v4_1@stranger', expiresAt: 100 };
    assert.deepEqual(await store.sandbox.strangerTickets.issue(ticket), ticket);
    const reissued = await store.sandbox.strangerTickets.issue({ ...ticket, encryptUsername: 'v3_second@stranger', ticket: 'v4_2@stranger', expiresAt: 200 });
    assert.deepEqual(reissued, { ...ticket, ticket: 'v4_2@stranger', expiresAt: 200 });
    assert.deepEqual(await store.sandbox.strangerTickets.get('app-a', 'wxid_v', 'wxid_t'), reissued);
    assert.deepEqual(await store.sandbox.strangerTickets.byEncryptUsername('app-a', 'wxid_v', 'v3_first@stranger'), reissued);
    assert.equal(await store.sandbox.strangerTickets.byEncryptUsername('app-a', 'wxid_other', 'v3_first@stranger'), undefined, 'only its viewer knows a v3 name');
    assert.equal(await store.sandbox.strangerTickets.get('app-a', 'wxid_t', 'wxid_v'), undefined);
  }));

  test('friend requests: a newer one between the same two replaces the older; state changes', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const request: SandboxFriendRequest = {
      appId: 'app-a', fromWxid: 'wxid_a', toWxid: 'wxid_b', encryptUsername: 'v3_a@stranger', ticket: 'v4_a@stranger', verifyContent: '我是A',
      scene: 3, state: 'pending', createdAt: 10, expiresAt: 1_000,
    };
    await store.sandbox.friendRequests.put(request);
    const newer = { ...request, verifyContent: '再加一次', ticket: 'v4_b@stranger', createdAt: 20, expiresAt: 2_000 };
    await store.sandbox.friendRequests.put(newer);
    assert.deepEqual(await store.sandbox.friendRequests.get('app-a', 'wxid_a', 'wxid_b'), newer);
    assert.equal(await store.sandbox.friendRequests.get('app-a', 'wxid_b', 'wxid_a'), undefined);
    await store.sandbox.friendRequests.setState('app-a', 'wxid_a', 'wxid_b', 'accepted');
    assert.equal((await store.sandbox.friendRequests.get('app-a', 'wxid_a', 'wxid_b'))?.state, 'accepted');
  }));

  test('login sessions round-trip with and without an attempt, and are replaced whole', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    assert.equal(await store.sandbox.loginSessions.get('g1'), undefined);
    const session: SandboxLoginSession = {
      guid: 'g1', appId: 'app-a', lastWxid: null, syncFailed: false,
      attempt: { kind: 'qr', uuid: 'u-1', status: 1, scannerWxid: 'wxid_s', verifyTicket: 't', verifyPin: '1234', createdAt: 5, expiresAt: 300_005 },
    };
    await store.sandbox.loginSessions.put(session);
    assert.deepEqual(await store.sandbox.loginSessions.get('g1'), session);
    const after = { ...session, attempt: null, lastWxid: 'wxid_s', syncFailed: true };
    await store.sandbox.loginSessions.put(after);
    assert.deepEqual(await store.sandbox.loginSessions.get('g1'), after);
  }));

  test('an account view reads the instance\'s login, its session\'s sync flag and the person in the asking app together', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    await seedApp(store, 'app-b');
    assert.equal(await store.sandbox.loginSessions.account('app-a', 'g-none'), undefined, 'no such instance');
    assert.deepEqual(await store.sandbox.loginSessions.account('app-a', 'g1'), { loginWxid: null, syncFailed: false, person: undefined });
    await store.instances.update('g1', { loginWxid: 'wxid_a' }, 2);
    assert.deepEqual(await store.sandbox.loginSessions.account('app-a', 'g1'), { loginWxid: 'wxid_a', syncFailed: false, person: undefined },
      'logged in on an account the world does not have (reset)');
    const alice = personRecord('app-a', 'wxid_a', { nickname: '爱丽丝', needsVerification: true, createdAt: 7 });
    await store.sandbox.people.insert(alice);
    await store.sandbox.people.insert(personRecord('app-b', 'wxid_a', { nickname: 'other app' }));
    await store.sandbox.loginSessions.put({ guid: 'g1', appId: 'app-a', attempt: null, lastWxid: 'wxid_a', syncFailed: true });
    assert.deepEqual(await store.sandbox.loginSessions.account('app-a', 'g1'), { loginWxid: 'wxid_a', syncFailed: true, person: alice });
    assert.equal((await store.sandbox.loginSessions.account('app-b', 'g1'))?.person?.nickname, 'other app', 'the person is looked up in the asking app');
  }));

  test('device logins keep the first login time per (instance, account)', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    assert.equal(await store.sandbox.deviceLogins.firstLogin('g1', 'wxid_a'), undefined);
    assert.equal(await store.sandbox.deviceLogins.record('app-a', 'g1', 'wxid_a', 100), 100);
    assert.equal(await store.sandbox.deviceLogins.record('app-a', 'g1', 'wxid_a', 200), 100);
    assert.equal(await store.sandbox.deviceLogins.record('app-a', 'g2', 'wxid_a', 300), 300);
    assert.equal(await store.sandbox.deviceLogins.firstLogin('g1', 'wxid_a'), 100);
  }));

  test('reset removes one app\'s whole world and answers how many people went; other apps keep theirs', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await seedApp(store, 'app-b');
    for (const appId of ['app-a', 'app-b']) {
      await store.sandbox.people.insert(personRecord(appId, 'wxid_a'));
      await store.sandbox.people.insert(personRecord(appId, 'wxid_b'));
      await store.sandbox.contacts.add({ ...entry('wxid_a', 'wxid_b'), appId });
      await store.sandbox.labels.create(appId, 'wxid_a', 'L');
    }
    assert.equal(await store.sandbox.reset('app-a'), 2);
    assert.equal(await store.sandbox.people.count('app-a'), 0);
    assert.equal(await store.sandbox.contacts.count('app-a', 'wxid_a'), 0);
    assert.deepEqual(await store.sandbox.labels.list('app-a', 'wxid_a'), []);
    assert.equal(await store.sandbox.people.count('app-b'), 2);
    assert.equal(await store.sandbox.contacts.count('app-b', 'wxid_a'), 1);
    assert.equal(await store.sandbox.reset('app-a'), 0);
  }));
}
