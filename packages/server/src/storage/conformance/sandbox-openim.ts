// Conformance: the sandbox world's OpenIM side (WeCom corporations and profiles, mutes, OpenIM rooms with versions)
// and third-party apps (mini-programs, OAuth apps, one-time codes redeemed once, short links).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxThirdPartyApp } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const SANDBOX_OPENIM_METHODS = [
  'sandbox.openim.insertCorporation', 'sandbox.openim.corporation', 'sandbox.openim.corporationByResource', 'sandbox.openim.insertProfile',
  'sandbox.openim.profile', 'sandbox.openim.profileByQrToken', 'sandbox.openim.muted', 'sandbox.openim.setMuted', 'sandbox.openim.contactsOf',
  'sandbox.openim.insertRoom', 'sandbox.openim.room', 'sandbox.openim.roomsOf', 'sandbox.openim.members', 'sandbox.openim.addMember',
  'sandbox.openim.removeMember',
  'sandbox.thirdPartyApps.create', 'sandbox.thirdPartyApps.get', 'sandbox.thirdPartyApps.putCode', 'sandbox.thirdPartyApps.getCode',
  'sandbox.thirdPartyApps.redeemCode', 'sandbox.thirdPartyApps.putShortLink', 'sandbox.thirdPartyApps.getShortLink',
] as const;

export function sandboxOpenImConformance(make: StoreFactory): void {
  test('corporations and WeCom profiles are found by id, resource and QR token', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const corp = { appId: 'app-a', corpId: 'wwcorp1', name: '腾讯', fullName: '深圳市腾讯计算机系统有限公司', openimAppid: '3552365301', wordingId: 'w-1', createdAt: 1 };
    await store.sandbox.openim.insertCorporation(corp);
    assert.deepEqual(await store.sandbox.openim.corporation('app-a', 'wwcorp1'), corp);
    assert.deepEqual(await store.sandbox.openim.corporationByResource('app-a', '3552365301', 'w-1'), corp);
    assert.equal(await store.sandbox.openim.corporationByResource('app-a', '3552365301', 'w-2'), undefined);
    const profile = { appId: 'app-a', username: 'u1@openim', corpId: 'wwcorp1', realName: '张三', position: '经理', qrToken: 'tok1', cardBlocked: true, createdAt: 2 };
    await store.sandbox.openim.insertProfile(profile);
    assert.deepEqual(await store.sandbox.openim.profile('app-a', 'u1@openim'), profile);
    assert.deepEqual(await store.sandbox.openim.profileByQrToken('app-a', 'tok1'), profile);
    assert.equal(await store.sandbox.openim.profile('app-b', 'u1@openim'), undefined);
  }));

  test('mutes toggle; OpenIM contacts are the @openim entries of the contact list in the order added', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    assert.equal(await store.sandbox.openim.muted('app-a', 'wxid_a', 'u1@openim'), false);
    await store.sandbox.openim.setMuted('app-a', 'wxid_a', 'u1@openim', true);
    await store.sandbox.openim.setMuted('app-a', 'wxid_a', 'u1@openim', true);
    assert.equal(await store.sandbox.openim.muted('app-a', 'wxid_a', 'u1@openim'), true);
    await store.sandbox.openim.setMuted('app-a', 'wxid_a', 'u1@openim', false);
    assert.equal(await store.sandbox.openim.muted('app-a', 'wxid_a', 'u1@openim'), false);
    for (const contact of ['u2@openim', 'wxid_b', 'u1@openim']) {
      await store.sandbox.contacts.add({ appId: 'app-a', ownerWxid: 'wxid_a', contactWxid: contact, remark: '', pinned: false, addScene: 3, createdAt: 1 });
    }
    assert.deepEqual(await store.sandbox.openim.contactsOf('app-a', 'wxid_a'), ['u2@openim', 'u1@openim']);
  }));

  test('OpenIM rooms: members in joining order, every change bumps the version, rooms of a member oldest first', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const room = { appId: 'app-a', roomUsername: 'r1@im.chatroom', name: '客户群', ownerUsername: 'u1@openim', version: 1, createdAt: 10 };
    await store.sandbox.openim.insertRoom(room);
    await store.sandbox.openim.insertRoom({ ...room, roomUsername: 'r0@im.chatroom', createdAt: 5 });
    assert.deepEqual(await store.sandbox.openim.room('app-a', 'r1@im.chatroom'), room);
    assert.equal(await store.sandbox.openim.addMember('app-a', 'r1@im.chatroom', 'u1@openim', 10), 2);
    assert.equal(await store.sandbox.openim.addMember('app-a', 'r1@im.chatroom', 'wxid_a', 11), 3);
    await store.sandbox.openim.addMember('app-a', 'r0@im.chatroom', 'wxid_a', 12);
    assert.deepEqual(await store.sandbox.openim.members('app-a', 'r1@im.chatroom'), [{ username: 'u1@openim', joinedAt: 10 }, { username: 'wxid_a', joinedAt: 11 }]);
    assert.deepEqual((await store.sandbox.openim.roomsOf('app-a', 'wxid_a')).map((r) => r.roomUsername), ['r0@im.chatroom', 'r1@im.chatroom']);
    assert.equal(await store.sandbox.openim.removeMember('app-a', 'r1@im.chatroom', 'wxid_a'), 4);
    assert.deepEqual((await store.sandbox.openim.roomsOf('app-a', 'wxid_a')).map((r) => r.roomUsername), ['r0@im.chatroom']);
    assert.equal((await store.sandbox.openim.room('app-a', 'r1@im.chatroom'))?.version, 4);
    await assert.rejects(store.sandbox.openim.addMember('app-a', 'none@im.chatroom', 'wxid_a', 13), 'no member joins a room that is not there');
    await assert.rejects(store.sandbox.openim.removeMember('app-b', 'r1@im.chatroom', 'u1@openim'), 'nor leaves one of another app');
    assert.deepEqual(await store.sandbox.openim.members('app-a', 'none@im.chatroom'), []);
    assert.deepEqual((await store.sandbox.openim.roomsOf('app-a', 'wxid_a')).map((r) => r.roomUsername), ['r0@im.chatroom']);
  }));

  test('third-party apps round-trip; a code is redeemed at most once, even by racing redeemers; short links resolve', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const mini: SandboxThirdPartyApp = {
      appId: 'app-a', appid: 'wx0123456789abcdef', kind: 'mini_program', name: '点餐', iconUrl: 'https://i/x.png', pages: ['pages/index/index', 'pages/menu/menu'],
      redirectUri: '', scopes: [], createdAt: 1,
    };
    const oauth: SandboxThirdPartyApp = { ...mini, appid: 'wxfedcba9876543210', kind: 'oauth', pages: [], redirectUri: 'https://shop.example.com/cb', scopes: ['snsapi_base', 'snsapi_userinfo'] };
    await store.sandbox.thirdPartyApps.create(mini);
    await store.sandbox.thirdPartyApps.create(oauth);
    assert.deepEqual(await store.sandbox.thirdPartyApps.get('app-a', mini.appid), mini);
    assert.deepEqual(await store.sandbox.thirdPartyApps.get('app-a', oauth.appid), oauth);
    assert.equal(await store.sandbox.thirdPartyApps.get('app-b', mini.appid), undefined);

    const code = { appId: 'app-a', code: 'c-1', appid: oauth.appid, wxid: 'wxid_a', kind: 'oauth' as const, scope: 'snsapi_userinfo', expiresAt: 500 };
    await store.sandbox.thirdPartyApps.putCode(code);
    assert.deepEqual(await store.sandbox.thirdPartyApps.getCode('app-a', 'c-1'), { ...code, redeemed: false });
    const redemptions = await Promise.all(Array.from({ length: 16 }, () => store.sandbox.thirdPartyApps.redeemCode('app-a', 'c-1')));
    assert.equal(redemptions.filter(Boolean).length, 1);
    assert.equal((await store.sandbox.thirdPartyApps.getCode('app-a', 'c-1'))?.redeemed, true);
    assert.equal(await store.sandbox.thirdPartyApps.redeemCode('app-a', 'c-none'), false);

    const link = { appId: 'app-a', token: 'AbCdEfGh1234', appid: mini.appid, path: 'pages/menu/menu?table=7', title: '菜单', createdBy: 'wxid_a', createdAt: 3 };
    await store.sandbox.thirdPartyApps.putShortLink(link);
    assert.deepEqual(await store.sandbox.thirdPartyApps.getShortLink('app-a', 'AbCdEfGh1234'), link);
    assert.equal(await store.sandbox.thirdPartyApps.getShortLink('app-a', 'abcdefgh1234'), undefined, 'tokens are case-sensitive');
  }));
}
