// What each module is about, in Chinese and English: the tags of /docs and anything else that lists modules.
import type { ModuleName } from './define.ts';

export interface ModuleInfo {
  /** The Chinese name, as the vendor's docs group the endpoints. */
  readonly zh: string;
  readonly en: string;
  /** What the module's endpoints do, in English. */
  readonly description: string;
}

export const MODULE_INFO: { readonly [M in ModuleName]: ModuleInfo } = {
  client: { zh: '实例', en: 'instances', description: 'create, start, stop and configure the instances, one WeChat account each (callback URL, proxy, state).' },
  login: { zh: '登录', en: 'login', description: 'QR-code login, re-login confirmed on the phone, and iPad device verification.' },
  user: { zh: '账号', en: 'account', description: 'profile, personal QR code and logout of the logged-in account.' },
  contact: { zh: '联系人', en: 'contacts', description: 'the contact list and contact details, search, friend requests, remarks, pinning and deletion.' },
  room: { zh: '群聊', en: 'rooms', description: 'create group chats and manage their members, name, announcement, pinned messages, QR code and flags.' },
  msg: { zh: '消息', en: 'messages', description: 'send text, @-mentions, quotes, cards, locations, images, videos, files, voice, emoji, links, mini-programs and Channels videos; revoke; mark as read; voice to text.' },
  cloud: { zh: '云存储', en: 'media (CDN)', description: 'upload and download images, videos, files, emoji and voice on the WeChat CDN, and the private-CDN (私有化CDN) paths.' },
  label: { zh: '标签', en: 'labels', description: 'contact labels and the contacts that carry them.' },
  openim: { zh: '企微', en: 'WeCom contacts', description: 'WeCom (企业微信) contacts and external rooms, seen from personal WeChat.' },
  sns: { zh: '朋友圈', en: 'Moments', description: 'timelines, posts, comments and likes.' },
  app: { zh: '小程序与授权', en: 'apps', description: 'mini-program login and data calls, OAuth and website QR-login authorization, A8Key URLs, mini-program short links.' },
  other: { zh: '其他', en: 'other', description: 'voice-to-text transcription.' },
  cdn: { zh: '私有化CDN', en: 'private CDN', description: 'the private-CDN server package, and the base_request that private-CDN calls take.' },
  admin: { zh: '管理', en: 'admin', description: '(wxgate\'s own) apps (tenants), their credentials and response mode. Needs WXGATE_ADMIN_TOKEN.' },
  sandbox: { zh: '沙箱', en: 'sandbox', description: '(wxgate\'s own) drive the simulated WeChat world as the other side would: people, the phone of a login, friend requests, rooms, Moments, messages, apps, WeCom, faults.' },
  wechaty: { zh: 'Wechaty', en: 'Wechaty', description: '(wxgate\'s own) tokens that let an unchanged Wechaty bot drive an instance over wechaty-puppet-service\'s gRPC protocol.' },
  ilink: { zh: 'iLink', en: 'iLink', description: '(wxgate\'s own) binding an instance as a bot of Tencent\'s iLink bot API (the OpenClaw Weixin plugin\'s protocol), served on /ilink/bot/*.' },
  events: { zh: '事件', en: 'events', description: '(wxgate\'s own) an instance\'s callback log, webhook attempts, replay, test callbacks, delivery filters and signing secrets.' },
};
