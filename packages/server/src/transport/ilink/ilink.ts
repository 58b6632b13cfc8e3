// Tencent's iLink bot API (the OpenClaw Weixin plugin's protocol) on /ilink/bot/*: a foreign wire with its own
// validation and error shape ({ret, errcode, errmsg}, HTTP 200), each bot_token driving the instance it was bound to.
import { ApiError, findEndpoint } from '@wxgate/contract';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ilinkBotId, ilinkConsumer } from '../../core/ilink/ilink-bots.ts';
import { decodeCursor, encodeCursor, ILINK_ITEM, toWeixinMessages, type WeixinMessage } from '../../core/ilink/ilink-messages.ts';
import type { Services } from '../../handlers/handler.ts';
import type { IlinkBotRecord } from '../../storage/ports.ts';
import { callAs } from '../dispatch.ts';
import { baseUrlOf, cdnReferrer, getUploadUrl, registerIlinkCdn } from './ilink-media.ts';
import { isMediaItemType, mediaSendOf, newMsgIdOf } from './ilink-media-sends.ts';
import { referMsgOf } from './ilink-quotes.ts';
import { errorText, languageOf } from '../language.ts';

/** How long getupdates and get_qrcode_status hold a request with nothing to say: under the client's 35 s timeout. */
const HOLD_MS = 25_000;
/** Suggested to the client for its next getupdates (the plugin's own default). */
const LONGPOLLING_TIMEOUT_MS = 35_000;
/** iLink's ret for a bot token that is no longer valid: the client stops and asks for a new QR login. */
const SESSION_TIMEOUT = -14;
const PAGE = 200;

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (what: string) => new ApiError('ILINK_BAD_REQUEST', `the iLink request is malformed: ${what}`);

/** The body as JSON, whatever the client sent: junk is the protocol's error, not an HTTP failure. */
function parseBody(raw: unknown): Body {
  if (raw === undefined || raw === '' || raw === null) return {};
  let body: unknown;
  try {
    body = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw bad('the body is not JSON');
  }
  if (!isObject(body)) throw bad('the body is not a JSON object');
  return body;
}

/** X-WECHAT-UIN, when sent, is base64 of a decimal uint32 (the protocol's random per-request value). */
function checkUin(value: unknown): void {
  if (value === undefined) return;
  const decoded = typeof value === 'string' ? Buffer.from(value, 'base64').toString() : '';
  if (!/^\d{1,10}$/.test(decoded) || Number(decoded) > 0xffffffff) throw bad('X-WECHAT-UIN must be base64 of a decimal uint32');
}

export function registerIlink(http: FastifyInstance, services: Services): void {
  const { ilink, events } = services;
  const stopping = new AbortController();
  http.addHook('preClose', async () => stopping.abort());

  /** One answer of the wire: errors as {ret, errcode, errmsg}, in the caller's language, never with a credential. */
  const answer = (request: FastifyRequest, reply: FastifyReply, work: () => Promise<Body>) => work().then(
    (body) => reply.code(200).send({ ret: 0, ...body }),
    (err: unknown) => {
      if (!(err instanceof ApiError)) {
        request.log.error({ err }, 'ilink: request failed');
        err = new ApiError('INTERNAL');
      }
      const apiError = err as ApiError;
      const ret = apiError.error === 'ILINK_TOKEN_INVALID' ? SESSION_TIMEOUT : -1;
      const errcode = ret === SESSION_TIMEOUT ? SESSION_TIMEOUT : apiError.spec.code;
      return reply.code(200).send({ ret, errcode, errmsg: errorText(apiError, languageOf(request.headers['accept-language'], services.config.language)) });
    },
  );

  /** The bot of an authenticated call: AuthorizationType ilink_bot_token and Authorization: Bearer <bot_token>. */
  const authenticate = async (request: FastifyRequest): Promise<IlinkBotRecord> => {
    checkUin(request.headers['x-wechat-uin']);
    const type = request.headers['authorizationtype'];
    const authorization = request.headers.authorization;
    const token = typeof authorization === 'string' && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '').trim() : '';
    if (type !== 'ilink_bot_token' || !token) throw new ApiError('ILINK_TOKEN_INVALID');
    return ilink.resolve(token);
  };

  /** A request's abort signal: the client went away, or the server is stopping. */
  const abortOf = (reply: FastifyReply): AbortSignal => {
    const gone = new AbortController();
    reply.raw.on('close', () => gone.abort());
    return AbortSignal.any([gone.signal, stopping.signal]);
  };

  // Bodies are parsed by the wire itself, so a junk body answers iLink's error rather than wxgate's 400.
  http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const on = (path: string, handle: (body: Body, request: FastifyRequest, reply: FastifyReply) => Promise<Body>) =>
      scope.post(path, async (request, reply) => answer(request, reply, async () => handle(parseBody(request.body), request, reply)));

    // Unauthenticated, as the protocol has it: the QR names no instance until an instance's phone confirms it.
    on('/ilink/bot/get_bot_qrcode', async (body) => {
      const tokens = body.local_token_list ?? [];
      if (!Array.isArray(tokens) || tokens.length > 100 || !tokens.every((t) => typeof t === 'string' && t.length <= 256)) {
        throw bad('local_token_list must be a list of bot tokens');
      }
      const { qrcode, content } = await ilink.qr.issue(tokens as string[]);
      return { qrcode, qrcode_img_content: content };
    });

    on('/ilink/bot/getupdates', async (body, _request, reply) => {
      const bot = await authenticate(_request);
      const buf = body.get_updates_buf ?? body.sync_buf ?? '';
      if (typeof buf !== 'string') throw bad('get_updates_buf must be a string');
      const { guid } = bot;
      const consumer = ilinkConsumer(bot.id);
      const last = await events.lastSn(guid);
      // A buf is what the client holds: everything up to it arrived. "" (first call, or a reset) resumes after the
      // last buf the client sent; a buf beyond the log (forged) cannot skip what comes.
      let from = Math.min(decodeCursor(buf) ?? (await events.cursor(guid, consumer)) ?? last, last);
      await events.saveCursor(guid, consumer, from);
      const ownWxid = (await services.instances.find(guid))?.loginWxid ?? null;
      const wire = { ilinkBotId: ilinkBotId(bot), ownWxid };
      const cdnRef = cdnReferrer(services, bot, baseUrlOf(services, _request));
      const signal = abortOf(reply);
      const deadline = Date.now() + HOLD_MS;
      for (;;) {
        const msgs: WeixinMessage[] = [];
        for (;;) {
          const page = await events.list({ guid, afterSn: from, limit: PAGE });
          for (const event of page) {
            msgs.push(...toWeixinMessages(event, wire, (peer) => ilink.contextToken(bot, peer), cdnRef));
            from = event.sn;
          }
          if (msgs.length > 0 || page.length < PAGE) break;
        }
        if (msgs.length > 0 || signal.aborted || Date.now() >= deadline) {
          // A bot revoked while its poll waited gets the protocol's error, not the messages.
          await ilink.ensure(bot);
          return { msgs, get_updates_buf: encodeCursor(from), longpolling_timeout_ms: LONGPOLLING_TIMEOUT_MS };
        }
        await wakeOrTimeout(services, guid, deadline - Date.now(), signal);
      }
    });

    on('/ilink/bot/sendmessage', async (body, request) => {
      const bot = await authenticate(request);
      const msg = body.msg;
      if (!isObject(msg)) throw bad('msg must be an object');
      const items = msg.item_list;
      if (!Array.isArray(items) || items.length === 0) throw bad('msg.item_list must be a non-empty array');
      // Every item is checked before the first is sent: a bad one sends nothing. The recipient is filled in below.
      const sends = items.map((item, i): { path: string; fields: (peer: string) => Body | Promise<Body> } => {
        if (!isObject(item)) throw bad(`msg.item_list[${i}] must be an object`);
        if (isMediaItemType(item.type)) return mediaSendOf(services, bot, item, i, request.log);
        if (item.type !== ILINK_ITEM.TEXT) throw new ApiError('ILINK_ITEM_UNSUPPORTED');
        const content = isObject(item.text_item) ? item.text_item.text : undefined;
        if (typeof content !== 'string' || content.length === 0) throw bad(`msg.item_list[${i}].text_item.text must be a non-empty string`);
        if (item.ref_msg === undefined) return { path: '/msg/send_text', fields: () => ({ content }) };
        referMsgOf(item.ref_msg, '', i);
        return { path: '/msg/send_refer_msg', fields: (peer) => ({ content, refer_msg: referMsgOf(item.ref_msg, peer, i) }) };
      });
      const to = msg.to_user_id;
      const context = msg.context_token;
      if (to !== undefined && (typeof to !== 'string' || to.length === 0 || to.length > 128)) throw bad('msg.to_user_id must be a user id');
      if (context !== undefined && context !== '' && typeof context !== 'string') throw bad('msg.context_token must be a string');
      // The context_token names the conversation the reply belongs to (a room for a room message); to_user_id must agree.
      let peer = to as string | undefined;
      if (typeof context === 'string' && context !== '') {
        const named = ilink.peerOf(bot, context);
        if (!named || (peer !== undefined && peer !== named && !named.endsWith('@chatroom'))) throw new ApiError('ILINK_CONTEXT_MISMATCH');
        peer = named;
      }
      if (!peer) throw bad('msg.to_user_id or msg.context_token is required');
      const app = await services.apps.byId(bot.appId);
      // What an item still has to store (a media item's thumbnail) is stored before the first item is sent.
      const ready: Array<{ path: string; body: Body }> = [];
      for (const { path, fields } of sends) ready.push({ path, body: await fields(peer) });
      let messageId = '';
      for (const { path, body: fields } of ready) {
        const sent = await callAs(app, {
          spec: findEndpoint(path)!, body: { guid: bot.guid, to_username: peer, ...fields }, headers: {}, requestId: `ilink-${randomUUID()}`, log: request.log,
        }, services) as Body;
        messageId = newMsgIdOf(sent) ?? messageId;
      }
      return { errmsg: '', ...(messageId ? { message_id: messageId } : {}) };
    });

    on('/ilink/bot/getuploadurl', async (body, request) => getUploadUrl(services, await authenticate(request), body, baseUrlOf(services, request)));

    on('/ilink/bot/getconfig', async (body, request) => {
      const bot = await authenticate(request);
      const user = body.ilink_user_id;
      if (typeof user !== 'string' || user.length === 0) throw bad('ilink_user_id must be a user id');
      return { errmsg: '', typing_ticket: ilink.typingTicket(bot, user) };
    });

    // Typing is advisory in the protocol (status 1 typing, 2 cancel): WeChat shows it in the chat window only, and
    // wxgate's drivers have no such call; the ticket is checked, then nothing is shown.
    on('/ilink/bot/sendtyping', async (body, request) => {
      const bot = await authenticate(request);
      const { ilink_user_id: user, typing_ticket: ticket, status } = body;
      if (typeof user !== 'string' || user.length === 0) throw bad('ilink_user_id must be a user id');
      if (typeof ticket !== 'string' || ticket !== ilink.typingTicket(bot, user)) throw bad('typing_ticket is not the one getconfig gave for this user');
      if (status !== undefined && status !== 1 && status !== 2) throw bad('status must be 1 (typing) or 2 (cancel)');
      return { errmsg: '' };
    });

    for (const path of ['/ilink/bot/msg/notifystart', '/ilink/bot/msg/notifystop']) {
      on(path, async (_body, request) => {
        await authenticate(request);
        return { errmsg: '' };
      });
    }
  });

  registerIlinkCdn(http, services);

  // QR status polling carries the QR code in its query: kept out of the info-level access log, as the protocol asks.
  http.get<{ Querystring: { qrcode?: unknown; verify_code?: unknown } }>('/ilink/bot/get_qrcode_status', { logLevel: 'warn' }, async (request, reply) => answer(request, reply, async () => {
    const { qrcode, verify_code: verifyCode } = request.query;
    if (typeof qrcode !== 'string' || qrcode.length === 0 || qrcode.length > 512) throw bad('qrcode is required');
    if (verifyCode !== undefined && (typeof verifyCode !== 'string' || verifyCode.length > 32)) throw bad('verify_code must be the code the phone shows');
    const { status, credentials, bound, redirectHost } = await ilink.qr.poll(qrcode, HOLD_MS, abortOf(reply), verifyCode);
    if (credentials) return { status, ...credentials, baseurl: baseUrlOf(services, request) };
    if (bound) return { status, ...bound, baseurl: baseUrlOf(services, request) };
    if (redirectHost) return { status, redirect_host: redirectHost };
    return { status };
  }));
}

/** Waits until the instance's events commit, the time is up, or the request is aborted. */
function wakeOrTimeout(services: Services, guid: string, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(ms, 0));
    const unsubscribe = services.events.subscribe((woken) => {
      if (woken === guid) done();
    });
    signal.addEventListener('abort', done);
  });
}
