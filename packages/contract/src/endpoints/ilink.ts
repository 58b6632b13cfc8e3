// wxgate's /ilink/* extension: binding an instance as a bot of Tencent's iLink bot API (served on /ilink/bot/*, docs/ilink.md).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { SelfWxid } from '../ids.ts';
import { UInt32, UnixSeconds } from '../integers.ts';

const BOT_ID = 'ilb_4e7a1c9d2b3f5a60';
const QRCODE = 'ilq_Hk3pZ8vQ2mW7tR4nY1cB6xF9';

const BotView = Type.Object({
  bot_id: Type.String({ description: 'names the bot in /ilink/status and /ilink/revoke_bot; not a credential', examples: [BOT_ID] }),
  ilink_bot_id: Type.String({ description: 'the bot\'s id on the iLink wire (to_user_id of what it receives)', examples: [`${BOT_ID}@im.bot`] }),
  ilink_user_id: SelfWxid('the account that confirmed the binding (iLink\'s ilink_user_id)'),
  created_at: UnixSeconds(),
}, { title: 'IlinkBotView' });

const BRIDGE = 'wxgate extension: an iLink client (Tencent\'s OpenClaw Weixin plugin or any client of the iLink bot API) pointed at wxgate as its base URL asks for a QR code with POST /ilink/bot/get_bot_qrcode; this call plays the phone that scans it, binding the bot to this instance (docs/ilink.md).';

export const ilinkEndpoints = defineModule('ilink', [
  endpoint({
    path: '/ilink/scan_qrcode',
    module: 'ilink',
    summaryZh: '扫描 iLink 机器人二维码',
    summaryEn: 'Act as the instance\'s phone on an iLink bot QR code: scan, confirm or cancel',
    description: `${BRIDGE} \`scan\` (the client's get_qrcode_status answers scaned), then \`confirm\` (confirmed, with a bot_token for this instance, shown to the client once) or \`cancel\` (expired). A confirm with \`verify_code\` plays a phone that shows a code: the client answers need_verifycode until it sends that code as get_qrcode_status's verify_code (5 wrong codes: verify_code_blocked). A confirm by an instance whose bot the client already holds (its local_token_list) binds nothing new and answers binded_redirect. A scan with \`redirect_host\` plays a phone of another data centre: the client's poll answers scaned_but_redirect with that redirect_host, and the client polls there from then on (name another listener of the same store: any node answers every code); confirm and cancel follow as after a scan. The instance must be logged in: its account is the bot's ilink_user_id. QR codes live 5 minutes.`,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
      qrcode: Type.String({ minLength: 1, maxLength: 512, description: 'the client\'s `qrcode`, or the `qrcode_img_content` it shows', examples: [QRCODE] }),
      action: Type.Union([Type.Literal('scan'), Type.Literal('confirm'), Type.Literal('cancel')]),
      verify_code: Type.Optional(Type.String({ pattern: '^[0-9]{4,8}$', description: 'with confirm: the code the phone shows; the client must send it back before it is bound', examples: ['482913'] })),
      redirect_host: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$', description: 'with scan: the host (host[:port]) the client is told to poll from then on (scaned_but_redirect)', examples: ['ilink-2.example.com:8443'] })),
    }),
    response: Type.Object({
      status: Type.Union([Type.Literal('scaned'), Type.Literal('scaned_but_redirect'), Type.Literal('confirmed'), Type.Literal('need_verifycode'), Type.Literal('binded_redirect'), Type.Literal('expired')], { description: 'what the client\'s get_qrcode_status now answers' }),
      bot_id: Type.Union([Type.String({ examples: [BOT_ID] }), Type.Null()], { description: 'the bot bound by a confirm (or already bound, binded_redirect), else null' }),
    }),
  }),
  endpoint({
    path: '/ilink/revoke_bot',
    module: 'ilink',
    summaryZh: '解绑 iLink 机器人',
    summaryEn: 'Unbind an iLink bot from an instance (revoke its bot_token)',
    description: `${BRIDGE} Its bot_token is refused from then on with iLink's ret -14 (session timeout).`,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid, bot_id: Type.String({ minLength: 1, maxLength: 64, examples: [BOT_ID] }) }),
    response: Type.Object({ revoked: Type.Boolean({ description: 'false when the instance had no such bot (already revoked)' }) }),
  }),
  endpoint({
    path: '/ilink/status',
    module: 'ilink',
    summaryZh: '查询 iLink 机器人',
    summaryEn: 'List the iLink bots bound to an instance',
    description: BRIDGE,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid }),
    response: Type.Object({
      bots: Type.Array(BotView, { description: 'the instance\'s bots, oldest first' }),
      bot_count: UInt32({ examples: [1] }),
    }),
  }),
]);
