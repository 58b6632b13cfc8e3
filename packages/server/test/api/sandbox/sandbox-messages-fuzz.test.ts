// Junk bodies on every /msg and /sandbox/messages endpoint, sent by a logged-in account to a real friend (so the
// sends get past login and reach the message engine), never produce a 5xx (501 "not supported" excepted).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { endpointList, type EndpointSpec } from '@wxgate/contract';
import { PNG } from 'pngjs';
import { pcmToWav, sineTonePcm } from '../../../src/wechat/silk.ts';
import { fuzzEndpoints, junkBody } from '../../fuzz-bodies.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { ok } from '../../sandbox-helpers.ts';

/** Values near what the fields expect (the friend's wxid, XML, ids) mixed with junk. */
function junkFor(spec: EndpointSpec, known: { guid: string; me: string; friend: string }): fc.Arbitrary<Record<string, unknown>> {
  return junkBody(spec, {
    guid: known.guid,
    plausible: [
    known.friend, known.me, 'filehelper', '1234@chatroom', 'notify@all', '<appmsg><type>5</type></appmsg>', '<msg username="x"/>', '<a><b>',
    '<![CDATA[', ']]>', '9223372036854775807', '18446744073709551616', '-1', '', ' ', 'https://e.example/a.gif', 'javascript:alert(1)',
    '3057020100044b3049', '0123456789abcdef0123456789abcdef', '/msg/send_text', '/msg/send_image', '长'.repeat(17_000),,
    ],
    template: validBody(spec.path, known),
    extraValues: (plausible) => [fc.dictionary(fc.constantFrom('to_username', 'content', 'msg_id', 'msg_type', 'from_username', 'latitude'), fc.oneof(plausible, fc.integer(), fc.string()))],
  });
}

const HEX_ID = '3057020100044b30490201000204a1d3b7f402032f55f90204' + 'ef'.repeat(20);
/** Real content for the sends that fetch (a 4×4 PNG) or transcode (0.3 s of WAV), inline so the fuzz fetches nothing. */
const PNG_URL = `data:image/png;base64,${PNG.sync.write(new PNG({ width: 4, height: 4 })).toString('base64')}`;
const WAV_URL = `data:audio/wav;base64,${pcmToWav(sineTonePcm(300, 440, 8000), 8000).toString('base64')}`;
const AES = '00112233445566778899aabbccddeeff';
const MD5 = '900150983cd24fb0d6963f7d28e17f72';

/** A body each send would accept, to spoil one field at a time. */
function validBody(path: string, known: { me: string; friend: string }): Record<string, unknown> | undefined {
  const to = known.friend;
  const cdn = { file_id: HEX_ID, aes_key: AES, file_size: 10, file_md5: MD5 };
  const bodies: Record<string, Record<string, unknown>> = {
    '/msg/send_text': { to_username: to, content: 'hi' },
    '/msg/send_room_at': { to_username: '1@chatroom', content: 'hi', at_list: [] },
    '/msg/send_refer_msg': { to_username: to, content: 'hi', refer_msg: { msg_type: 1, msg_id: '1', from_username: to } },
    '/msg/send_share_card': { to_username: to, share_username: known.me },
    '/msg/send_share_card_raw': { to_username: to, xml: '<msg username="wxid_x"/>' },
    '/msg/send_location': { to_username: to, latitude: 1, longitude: 2 },
    '/msg/send_pat': { to_username: to, patted_username: to },
    '/msg/send_link_card': { to_username: to, title: 't', desc: 'd', url: 'https://x', image_url: PNG_URL },
    '/msg/send_voice': { to_username: to, url: WAV_URL, voice_length: 300 },
    '/msg/send_link_card_cdn': { to_username: to, title: 't', desc: 'd', url: 'https://x', thumb_file_id: HEX_ID, thumb_aes_key: AES, thumb_file_size: 1, thumb_file_md5: MD5 },
    '/msg/send_app_msg': { to_username: to, appid: '', app_type: 5, xml: '<appmsg><type>5</type></appmsg>' },
    '/msg/send_mini_app': { to_username: to, username: 'gh_x@app', appid: 'wx1', ...cdn },
    '/msg/send_finder_video': { to_username: to, object_id: '1', username: 'u', url: 'https://v' },
    '/msg/send_emoji': { to_username: to, ...cdn },
    '/msg/send_emoji_url': { to_username: to, url: 'https://e.example/a.gif' },
    '/msg/send_emoji_md5': { to_username: to, file_md5: MD5, file_size: 10 },
    '/msg/revoke_msg': { to_username: to, msg_id: '1' },
    '/msg/set_session_read': { to_username: to },
    '/sandbox/messages/send': { from_wxid: to, path: '/msg/send_text', body: { to_username: known.me, content: 'hi' } },
    '/sandbox/messages/revoke': { wxid: to, to_username: known.me, msg_id: '1' },
    '/sandbox/messages/list': { wxid: known.me },
    '/sandbox/messages/restrict': { wxid: to, seconds: 0 },
  };
  return bodies[path];
}

describe('fuzz: messages', () => {
  let h: Harness;
  let known: { guid: string; me: string; friend: string };
  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    const guid = await h.createInstance();
    const me = (await ok(h.direct('/sandbox/people/create', { nickname: 'Fuzz' }))).wxid;
    const friend = (await ok(h.direct('/sandbox/people/create', { nickname: 'Friend', friends: [me] }))).wxid;
    await ok(h.direct('/login/get_login_qrcode', { guid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid: me }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
    known = { guid, me, friend };
  });
  after(() => h.close());

  test('every msg and /sandbox/messages endpoint survives junk on both transports', async () => {
    const specs = endpointList.filter((e) => e.module === 'msg' || e.path.startsWith('/sandbox/messages/'));
    assert.ok(specs.length >= 27);
    const codes = await fuzzEndpoints(h, specs, (spec) => junkFor(spec, known), { numRuns: 60, seed: 5150, allow501: true });
    assert.ok((codes.get(422) ?? 0) > 0, `saw ${JSON.stringify([...codes])}`);
    // The account still sends afterwards.
    await ok(h.direct('/msg/send_text', { guid: known.guid, to_username: known.friend, content: 'still fine' }));
  });
});
