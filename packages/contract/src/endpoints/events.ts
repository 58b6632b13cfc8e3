// wxgate's /events/* extension: the durable event log of an instance, its webhook attempts, replay, test, filters, signing keys.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { EXAMPLE, Wxid } from '../ids.ts';
import { EXAMPLE_UNIX_SECONDS, UInt32, UnixSeconds, UInt53, Limit } from '../integers.ts';

/** What a webhook receiver answered, and a signing secret in the Standard Webhooks format. */
const RECEIVER_ANSWER = '{"ok":true}';
const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** A bot that wants messages (text, image, voice, appmsg), contact changes and logouts. */
const FILTER_NOTIFY_TYPES = [1010, 1200, 1004];
const FILTER_MSG_TYPES = [1, 3, 34, 49];


import { ChatMsg } from '../wechat.ts';

const WebhookView = Type.Object({
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('skipped')], {
    description: 'pending: waiting for (another) attempt; delivered: a 2xx came back; failed: the retry schedule is exhausted (replayable); skipped: filtered out or no notify_url',
    examples: ['delivered'],
  }),
  attempts: UInt32({ examples: [1] }),
  next_attempt_at: Type.Union([UInt53(), Type.Null()], { description: 'unix ms of the next attempt while pending', examples: [null] }),
});

/** An event as the examples show it: a friend's text message (1010), delivered at the first attempt. */
const EVENT_ID = 'evt_3f9a1c7e2b5d4e8f9a0b1c2d3e4f5a6b';

export const EventView = Type.Object({
  event_id: Type.String({ description: 'stable across retries and replays: the webhook-id header', examples: [EVENT_ID] }),
  sn: UInt53({ description: 'per-instance sequence number, strictly increasing (x-wxgate-sn)', examples: [42] }),
  guid: Type.String({ format: 'uuid' }),
  notify_type: UInt32({ examples: [1010] }),
  data: Type.Unknown({
    description: 'the callback data exactly as delivered',
    examples: [{
      from_username: EXAMPLE.friend, to_username: EXAMPLE.self, chatroom_sender: '', create_time: EXAMPLE_UNIX_SECONDS,
      desc: `${EXAMPLE.friendNickname} : 在吗？`, msg_id: EXAMPLE.msgId, msg_type: 1, chatroom: '', source: '<msgsource />',
      content: '在吗？', is_chatroom_msg: 0,
    }],
  }),
  created_at: UnixSeconds(),
  filtered: Type.Boolean({ description: 'left out of delivery by the instance\'s filters' }),
  webhook: WebhookView,
}, { title: 'EventView' });

const CallbackFilters = Type.Object({
  notify_types: Type.Union([Type.Array(UInt32()), Type.Null()], { description: 'notify types delivered; null = all', examples: [FILTER_NOTIFY_TYPES] }),
  msg_types: Type.Union([Type.Array(UInt32()), Type.Null()], { description: 'msg types of 1010 events delivered; null = all', examples: [FILTER_MSG_TYPES] }),
  include_self: Type.Boolean({ description: 'deliver messages this account sent itself' }),
  batch_window_ms: UInt32({ description: '> 0: 1010 events within this window go out as one 1011 BatchNewMsg' }),
}, { title: 'CallbackFilters' });

/** A message of an instance's archive: the 1010 fields as this account saw it, plus its place in the archive. */
const ArchivedMessageView = Type.Object({
  ...ChatMsg.properties,
  is_chatroom_msg: UInt32({ description: '1 in groups, else 0', examples: [1] }),
  seq: UInt53({ description: 'archive order (paging cursor: pass the last one as after_seq)', examples: [1024] }),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')], { description: 'out: this account sent it' }),
  revoked: Type.Boolean({ description: 'the sender took it back (the revoke notice is archived too)' }),
}, { title: 'ArchivedMessage', additionalProperties: true });

export const eventsEndpoints = defineModule('events', [
  endpoint({
    path: '/events/list',
    module: 'events',
    summaryZh: '事件列表',
    summaryEn: 'List an instance\'s events after a sequence number, with their webhook state',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
      after_sn: Type.Optional(UInt53({ default: 0, examples: [41] })),
      limit: Type.Optional(Limit(1000, 100)),
      notify_type: Type.Optional(UInt32({ examples: [1010] })),
    }),
    response: Type.Object({
      events: Type.Array(EventView),
      last_sn: UInt53({ description: 'the instance\'s newest sn', examples: [42] }),
    }),
  }),
  endpoint({
    path: '/events/messages',
    module: 'events',
    summaryZh: '消息存档',
    summaryEn: 'Read the instance\'s message archive: what its account sent and received, oldest first',
    description: 'The sandbox answers from its world (private chats and the rooms the account is in now); the relay from the mirror of upstream callbacks and send answers. Needs a logged-in account on the sandbox.',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
      talker: Type.Optional(Wxid('one conversation only: the peer\'s wxid or the room id', { minLength: 1, examples: [EXAMPLE.room] })),
      after_seq: Type.Optional(UInt53({ default: 0, description: 'only messages after this seq (paging)' })),
      limit: Type.Optional(Limit(500, 100)),
    }),
    response: Type.Object({
      messages: Type.Array(ArchivedMessageView),
      next_seq: UInt53({ description: 'pass as after_seq for the next page; equals after_seq when nothing newer exists', examples: [1024] }),
    }),
  }),
  endpoint({
    path: '/events/attempts',
    module: 'events',
    summaryZh: '投递记录',
    summaryEn: 'List the webhook delivery attempts of one event',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid, event_id: Type.String({ minLength: 1, examples: [EVENT_ID] }) }),
    response: Type.Object({
      event: EventView,
      attempts: Type.Array(Type.Object({
        attempt: UInt32({ examples: [1] }),
        started_at: UInt53({ description: 'unix ms', examples: [EXAMPLE_UNIX_SECONDS * 1000 + 12] }),
        duration_ms: UInt32({ examples: [86] }),
        status_code: Type.Union([UInt32(), Type.Null()], { examples: [200] }),
        error: Type.Union([Type.String(), Type.Null()]),
        response_excerpt: Type.String({ description: 'the first KiB of the receiver\'s answer', examples: [RECEIVER_ANSWER] }),
      })),
    }),
  }),
  endpoint({
    path: '/events/replay',
    module: 'events',
    summaryZh: '重放事件',
    summaryEn: 'Send a range of events to the webhook again (same event ids, new attempts)',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
      from_sn: UInt53({ minimum: 1, examples: [40] }),
      to_sn: UInt53({ minimum: 1, examples: [42] }),
    }),
    response: Type.Object({ requeued: UInt32({ description: 'events queued for delivery again (filtered ones are not)', examples: [3] }) }),
  }),
  endpoint({
    path: '/events/test',
    module: 'events',
    summaryZh: '测试回调',
    summaryEn: 'Send a signed test callback to the notify_url now and report the receiver\'s answer',
    description: 'Body `{"guid","notify_type":0,"data":{"test":true,…}}`, signed like every callback; not stored in the event log.',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid }),
    response: Type.Object({
      delivered: Type.Boolean({ description: 'the receiver answered 2xx', examples: [true] }),
      status_code: Type.Union([UInt32(), Type.Null()], { examples: [200] }),
      duration_ms: UInt32({ examples: [86] }),
      error: Type.Union([Type.String(), Type.Null()]),
      response_excerpt: Type.String({ examples: [RECEIVER_ANSWER] }),
    }),
  }),
  endpoint({
    path: '/events/set_filters',
    module: 'events',
    summaryZh: '设置回调过滤',
    summaryEn: 'Choose which events are delivered (notify types, msg types, self-sent) and 1011 batching',
    description: 'Fields left out keep their value. Filtered events are still recorded and listable; they are not delivered by webhook or streams.',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
      notify_types: Type.Optional(Type.Union([Type.Array(UInt32()), Type.Null()], { examples: [FILTER_NOTIFY_TYPES] })),
      msg_types: Type.Optional(Type.Union([Type.Array(UInt32()), Type.Null()], { examples: [FILTER_MSG_TYPES] })),
      include_self: Type.Optional(Type.Boolean({ examples: [false] })),
      batch_window_ms: Type.Optional(UInt32({ maximum: 60_000, examples: [0] })),
    }),
    response: CallbackFilters,
  }),
  endpoint({
    path: '/events/get_filters',
    module: 'events',
    summaryZh: '查看回调过滤',
    summaryEn: 'Show the instance\'s delivery filters and batching',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid }),
    response: CallbackFilters,
  }),
  endpoint({
    path: '/events/get_signing_secrets',
    module: 'events',
    summaryZh: '查看回调签名密钥',
    summaryEn: 'Show the app\'s webhook signing secrets (verify webhook-signature with them)',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({}),
    response: Type.Object({
      secrets: Type.Array(Type.Object({
        secret: Type.String({ description: 'whsec_<base64>, the Standard Webhooks format', examples: [SIGNING_SECRET] }),
        created_at: UnixSeconds(),
        expires_at: Type.Union([UnixSeconds(), Type.Null()], { description: 'unix seconds; null while current', examples: [null] }),
      })),
    }),
  }),
  endpoint({
    path: '/events/rotate_signing_secret',
    module: 'events',
    summaryZh: '轮换回调签名密钥',
    summaryEn: 'Issue a new signing secret for the whole app; the old one keeps signing alongside it for a grace period',
    description: 'Signing secrets belong to the app, not to an instance: the new secret signs the webhooks of every instance of the app. '
      + 'The call takes no `guid`; one given is refused (422 `extra_forbidden`) rather than ignored, so nobody rotates every instance\'s secret believing they rotate one.',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      grace_seconds: Type.Optional(UInt32({ maximum: 30 * 86_400, description: 'default WXGATE_SIGNING_SECRET_GRACE_SECONDS (a day)' })),
    }, { additionalProperties: false }),
    response: Type.Object({
      secret: Type.String({ examples: [SIGNING_SECRET] }),
      previous_valid_until: Type.Union([UnixSeconds(), Type.Null()], { description: 'unix seconds until the old secret stops signing', examples: [EXAMPLE_UNIX_SECONDS + 86_400] }),
    }),
  }),
] as const);
