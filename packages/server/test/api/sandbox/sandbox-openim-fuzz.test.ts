// Junk bodies on every /openim and /sandbox/openim endpoint, from a logged-in account with a real WeCom contact, card
// and OpenIM room (so valid bodies with a field or two spoiled reach the world's rules), never produce a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { endpointList, type EndpointSpec } from '@wxgate/contract';
import { fuzzEndpoints, junkBody } from '../../fuzz-bodies.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';

interface Known { guid: string; me: string; corp: string; wecom: string; other: string; card: string; room: string; appid: string; wording: string }

/** A body each endpoint would accept, to spoil a field or two at a time. */
function validBody(path: string, k: Known): Record<string, unknown> | undefined {
  const inRoom = { room_username: k.room };
  const bodies: Record<string, Record<string, unknown>> = {
    '/openim/get_openim_friends': { page_num: 1, page_size: 10 },
    '/openim/get_openim_rooms': { page_num: 1, page_size: 10 },
    '/openim/get_openim_room_members': { ...inRoom, page_num: 1, page_size: 10 },
    '/openim/get_openim_room_detail': inRoom,
    '/openim/get_openim_room_member_detail': { ...inRoom, version: 0 },
    '/openim/get_openim_contact': { username: k.wecom },
    '/openim/get_openim_resource': { appid: k.appid, wording_id: k.wording },
    '/openim/search_openim_contact': { url: k.card },
    '/openim/del_openim_contact': { username: k.wecom },
    '/openim/check_openim_contact': { url: k.card },
    '/openim/modify_openim_disturb_flag': { username: k.wecom, status: 1 },
    '/openim/modify_openim_top_flag': { username: k.wecom, status: 1 },
    '/sandbox/openim/create_corp': { name: 'c' },
    '/sandbox/openim/create_person': { corp_id: k.corp, nickname: 'p' },
    '/sandbox/openim/add_contact': { wxid: k.me, username: k.other, ticket: 'v4_x' },
    '/sandbox/openim/room_create': { owner_username: k.wecom, member_usernames: [k.me] },
    '/sandbox/openim/room_join': { room_username: k.room, username: k.other },
    '/sandbox/openim/room_leave': { room_username: k.room, username: k.other },
  };
  return bodies[path];
}

function junkFor(spec: EndpointSpec, k: Known): fc.Arbitrary<Record<string, unknown>> {
  return junkBody(spec, {
    guid: k.guid,
    plausible: [
    k.me, k.corp, k.wecom, k.other, k.card, k.room, k.appid, k.wording, 'nobody@openim', '12345678901@im.chatroom', '12345678901@chatroom',
    'https://work.weixin.qq.com/u/', 'https://work.weixin.qq.com/u/' + 'A'.repeat(70), '0', '1', '-1', '', ' ', '9'.repeat(40), '长'.repeat(3000), 'http://[::1',,
    ],
    template: validBody(spec.path, k),
  });
}

describe('fuzz: OpenIM', () => {
  let h: Harness;
  let known: Known;
  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    const { guid, wxid: me } = await loggedIn(h, { nickname: 'Fuzz' });
    const corp = await ok(h.direct('/sandbox/openim/create_corp', { name: 'Corp' }));
    const wecom = await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: 'W' }));
    const other = (await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: 'O' }))).username;
    const { ticket } = await ok(h.direct('/openim/search_openim_contact', { guid, url: wecom.qr_url }));
    await ok(h.direct('/sandbox/openim/add_contact', { wxid: me, username: wecom.username, ticket }));
    const room = (await ok(h.direct('/sandbox/openim/room_create', { owner_username: wecom.username, member_usernames: [me, other] }))).room_username;
    known = { guid, me, corp: corp.corp_id, wecom: wecom.username, other, card: wecom.qr_url, room, appid: corp.appid, wording: corp.wording_id };
  });
  after(() => h.close());

  test('every /openim and /sandbox/openim endpoint survives junk on both transports', async () => {
    // Deleting the contact runs last, so the others meet it alive.
    const specs = endpointList.filter((e) => e.module === 'openim' || e.path.startsWith('/sandbox/openim/'))
      .sort((a, b) => Number(a.path === '/openim/del_openim_contact') - Number(b.path === '/openim/del_openim_contact'));
    assert.equal(specs.length, 12 + 6);
    const codes = await fuzzEndpoints(h, specs, (spec) => junkFor(spec, known), { numRuns: 40, seed: 4062 });
    for (const status of [200, 404, 409, 422]) assert.ok((codes.get(status) ?? 0) > 0, `saw ${JSON.stringify([...codes])}`);
    assert.equal((await h.direct('/client/get_client_status', { guid: known.guid })).body.data.status, 2);
  });
});
