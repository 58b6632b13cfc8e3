// The driver conformance suite: one set of tests, written against the driver port, that every driver must pass
// (the sandbox now, the relay later). A driver's test file calls describeDriverConformance with a subject factory.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DriverPath } from '../driver.ts';
import { appConformance } from './app.ts';
import { contactConformance } from './contact.ts';
import { loginConformance } from './login.ts';
import { msgConformance } from './msg.ts';
import { msgMediaConformance } from './msg-media.ts';
import { msgRoomConformance } from './msg-room.ts';
import { openImConformance } from './openim.ts';
import { labelConformance } from './label.ts';
import { roomConformance } from './room.ts';
import { snsConformance } from './sns.ts';
import type { ConformanceSubject } from './subject.ts';

export type { ConformancePhone, ConformanceSubject, PersonProfile } from './subject.ts';

/** The operations this suite exercises; a driver must serve all of them to conform. */
export const CONFORMANCE_PATHS: readonly DriverPath[] = [
  '/login/get_login_qrcode', '/login/check_login_qrcode', '/login/push_login_url', '/login/verify_login_url',
  '/user/get_profile', '/user/get_qrcode', '/user/logout',
  '/contact/init_contact', '/contact/get_contact', '/contact/batch_get_contact_brief_info', '/contact/search_contact',
  '/contact/add_friend', '/contact/verify_friend', '/contact/modify_remark', '/contact/modify_contact_top_flag', '/contact/del_friend',
  '/msg/send_text', '/msg/send_refer_msg', '/msg/send_share_card', '/msg/send_share_card_raw', '/msg/send_location', '/msg/send_pat',
  '/msg/send_link_card_cdn', '/msg/send_app_msg', '/msg/send_mini_app', '/msg/send_finder_video', '/msg/send_emoji', '/msg/send_emoji_url',
  '/msg/send_emoji_md5', '/msg/revoke_msg', '/msg/set_session_read', '/msg/send_room_at', '/msg/send_link_card', '/msg/send_voice',
  '/cloud/cdn_download', '/cloud/download_voice',
  '/app/js_login', '/app/oauth_authorize', '/app/oauth_authorize_confirm', '/app/create_wxa_short_link', '/app/resolve_wxa_short_link',
  '/app/resolve_wxa_app_short_link',
  '/openim/search_openim_contact', '/openim/get_openim_contact', '/openim/get_openim_resource', '/openim/get_openim_friends', '/openim/del_openim_contact',
  '/openim/get_openim_rooms', '/openim/get_openim_room_member_detail', '/openim/get_openim_room_detail',
];

export function describeDriverConformance(name: string, make: () => Promise<ConformanceSubject>): void {
  describe(`driver conformance: ${name}`, () => {
    test('declares every exercised path, and its sessions serve exactly what it declares', async () => {
      const subject = await make();
      try {
        const declared = [...subject.driver.capabilities()].sort();
        for (const path of CONFORMANCE_PATHS) assert.ok(declared.includes(path), `${path} is not among the capabilities`);
        const { session } = await subject.newInstance();
        assert.deepEqual(Object.keys(session.operations).sort(), declared);
      } finally {
        await subject.close();
      }
    });
    describe('login, account and session faults', () => loginConformance(make));
    describe('contacts and friends', () => contactConformance(make));
    describe('one-to-one messages', () => msgConformance(make));
    describe('fetched and transcoded media (link cards, voice)', () => msgMediaConformance(make));
    describe('group messages', () => msgRoomConformance(make));
    describe('rooms', () => roomConformance(make));
    describe('labels', () => labelConformance(make));
    describe('Moments', () => snsConformance(make));
    describe('third-party apps', () => appConformance(make));
    describe('WeCom contacts (OpenIM)', () => openImConformance(make));
  });
}
