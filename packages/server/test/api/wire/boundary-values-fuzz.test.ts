// Boundary values (±2^31, 2^32, ±2^53, 2e19, ±1e308, -0, fractions, numeric texts) in every field of every endpoint,
// through both transports, from a logged-in sandbox account with friends, a room, a label, a post and a message, so
// bodies get past the login check into the engine and the store: never a 5xx, by HTTP status or x-wxgate-status.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { endpointList } from '@wxgate/contract';
import { boundaryCases, fuzzEndpoints, preciseStatus, schemaBody } from '../../fuzz-bodies.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';

const TEXT_POST = '<TimelineObject><contentDesc>x</contentDesc><ContentObject><contentStyle>2</contentStyle></ContentObject></TimelineObject>';
const APP_MSG = '<msg><appmsg appid="" sdkver="0"><title>t</title><type>5</type><url>https://example.com/</url></appmsg></msg>';

/** Calls that end the session, the instance or the world run last, so the others meet them alive. */
const ENDINGS = ['/user/logout', '/sandbox/faults/inject', '/client/stop_client', '/client/remove_client', '/sandbox/world/reset'];

describe('fuzz: boundary values in every field', () => {
  let h: Harness;
  let valuesFor: (field: string) => readonly unknown[] | undefined;
  let guid: string;
  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    const me = await loggedIn(h, { nickname: 'Fuzz' });
    guid = me.guid;
    const friend = (await ok(h.direct('/sandbox/people/create', { nickname: 'Friend', friends: [me.wxid] }))).wxid as string;
    const other = (await ok(h.direct('/sandbox/people/create', { nickname: 'Other', friends: [me.wxid, friend] }))).wxid as string;
    const stranger = (await ok(h.direct('/sandbox/people/create', { nickname: 'Stranger' }))).wxid as string;
    const room = (await ok(h.direct('/room/create_chatroom', { guid, username_list: [friend, other] }))).chatRoomName.string as string;
    const post = (await ok(h.direct('/sns/sns_post', { guid, object_desc: TEXT_POST }))).snsObject.id as string;
    await ok(h.direct('/label/add_contact_label', { guid, label_name: 'L' }));
    const msgId = (await ok(h.direct('/msg/send_text', { guid, to_username: friend, content: 'hi' }))).list[0].newMsgId as string;
    const values: Record<string, readonly unknown[]> = {
      to_username: [friend, room, me.wxid], username: [friend, stranger, room], wxid: [me.wxid, friend, stranger],
      from_wxid: [stranger, friend], to_wxid: [me.wxid, other], contact_wxid: [friend], owner_wxid: [friend], member_wxid: [friend],
      share_username: [friend], patted_username: [friend, me.wxid], from_username: [friend, room], talker: [friend, room],
      chatroom_sender: [friend], member_wxids: [me.wxid, other], friends: [me.wxid], username_list: [friend, other],
      at_list: [friend, 'notify@all'], group_user_list: [friend], block_user_list: [other], with_user_list: [friend],
      room_username: [room], chatroom: [room], msg_id: [msgId], object_id: [post], max_id: ['0', post],
      label_name: ['L2'], content: ['hello'], xml: [`<msg username="${friend}" nickname="F"/>`, APP_MSG],
      object_desc: [TEXT_POST, Buffer.from(TEXT_POST).toString('base64')], action: ['scan', 'confirm'], mode: ['raw', 'standard'],
    };
    valuesFor = (field) => values[field];
  });
  after(() => h.close());

  test('every number field of every endpoint takes every boundary number: a value out of its range is a 422 naming it, none a 5xx', async () => {
    const failures: string[] = [];
    let requests = 0;
    let refused = 0;
    for (const spec of endpointList) {
      const cases = boundaryCases(spec, { guid, valuesFor, seed: 7 });
      // The endings take no numbers, so sparing them here skips nothing.
      if (ENDINGS.includes(spec.path)) {
        assert.deepEqual(cases, [], spec.path);
        continue;
      }
      for (const { loc, value, body, schema } of cases) {
        // Alternate the transports so each sees half of every endpoint's cases.
        const res = requests++ % 2 === 0 ? await h.direct(spec.path, body) : await h.gateway(spec.path, body);
        const status = preciseStatus(res);
        const where = `${spec.path} ${loc.join('.')}=${value}`;
        if (status >= 500) failures.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
        const expected = schema.type === 'integer' && !Number.isInteger(value) ? 'int_from_float'
          : schema.maximum !== undefined && value > schema.maximum ? 'less_than_equal'
            : schema.minimum !== undefined && value < schema.minimum ? 'greater_than_equal' : undefined;
        if (expected) {
          refused++;
          assert.equal(status, 422, `${where}: ${res.text.slice(0, 300)}`);
          assert.ok(res.body.detail.some((i: { loc: unknown[]; type: string }) => JSON.stringify(i.loc) === JSON.stringify(['body', ...loc]) && i.type === expected),
            `${where} wants ${expected}: ${JSON.stringify(res.body.detail)}`);
        }
      }
    }
    console.log(`boundary-values cases: ${requests} requests, ${refused} out of range, ${failures.length} 5xx`);
    assert.deepEqual(failures, []);
    assert.ok(requests > 1000 && refused > 500);
  });

  test('every endpoint answers boundary values without a 5xx on both transports', async () => {
    const specs = [...endpointList].sort((a, b) => Number(ENDINGS.includes(a.path)) - Number(ENDINGS.includes(b.path)));
    const codes = await fuzzEndpoints(h, specs, (spec) => schemaBody(spec, { guid, valuesFor }), { numRuns: 16, seed: 20260131 });
    const requests = [...codes.values()].reduce((sum, n) => sum + n, 0);
    const serverErrors = [...codes].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    console.log(`boundary-values fuzz: ${requests} requests, ${serverErrors} 5xx; by status ${JSON.stringify(Object.fromEntries(codes))}`);
    assert.equal(serverErrors, 0);
    assert.ok(requests >= endpointList.length * 16);
    // The values reached the engine (successes) and were refused field by field (422s).
    assert.ok((codes.get(200) ?? 0) > 0 && (codes.get(422) ?? 0) > 0, JSON.stringify([...codes]));
    // Still serving afterwards.
    assert.equal((await h.direct('/client/all_clients', {})).status, 200);
  });
});
