// /msg/send_link_card: a link card whose thumbnail wxgate fetches from a URL; part of the msg module (msg.ts).
import { Type } from '@sinclair/typebox';
import { endpoint, Guid } from '../../define.ts';
import { ToUsername } from '../../ids.ts';
import { EXAMPLE_URL, Url } from '../../cdn-fields.ts';
import { LINK_DESC, LINK_TITLE } from './msg-xml-examples.ts';

import { SendAppMsgResponse } from '../../wechat.ts';
import { withSendList } from './msg-answers.ts';

export const MSG_CARD_ENDPOINTS = [
  endpoint({
    path: '/msg/send_link_card',
    module: 'msg',
    summaryZh: '发送链接卡片',
    summaryEn: 'Send a link card with a thumbnail fetched from a URL',
    description: [
      'image_url is fetched server-side (SSRF rules of /cloud/cdn_upload; a data: URL or base64 works too), stored on the',
      'CDN as the thumbnail, and the card goes out as /msg/send_link_card_cdn sends it (appmsg type 5), with its answer.',
    ].join(' '),
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    outsideCatalog: 'catalog §9: D1 declares SendLinkCardModel {to_username, title, desc, url, image_url}, and the DEMO client calls /msg/send_link_card with it; seed-summary lists 发送链接卡片 beside 发送链接卡片CDN',
    request: Type.Object({
      guid: Guid,
      to_username: ToUsername(),
      title: Type.String({ description: 'title', examples: [LINK_TITLE] }),
      desc: Type.Optional(Type.String({ default: '', description: 'description', examples: [LINK_DESC] })),
      url: Url(EXAMPLE_URL.page, 'the URL the card opens'),
      image_url: Url(EXAMPLE_URL.image, 'thumbnail image: an http(s) URL wxgate fetches, a data: URL or base64'),
    }),
    response: withSendList(SendAppMsgResponse),
  }),
] as const;
