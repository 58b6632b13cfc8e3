// An iLink bot API client written from the OpenClaw Weixin plugin's docs/protocol.md (its own client imports OpenClaw):
// the common headers, bot authorization and base_info, the CDN upload and download with AES-128-ECB, and the QR binding
// of a sandbox instance as wxgate's /ilink/scan_qrcode plays the phone.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Harness } from './harness.ts';
import { ok } from './sandbox-helpers.ts';

const BASE_INFO = { channel_version: '2.4.9', bot_agent: 'wxgate-e2e/1.0' };

export class IlinkClient {
  constructor(public baseUrl: string, public token?: string) {}

  #headers(): Record<string, string> {
    const uin = Buffer.from(String(randomBytes(4).readUInt32BE(0))).toString('base64');
    return {
      'Content-Type': 'application/json', AuthorizationType: 'ilink_bot_token', 'X-WECHAT-UIN': uin,
      'iLink-App-Id': 'bot', 'iLink-App-ClientVersion': String((2 << 16) | (4 << 8) | 9),
      ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
    };
  }

  async post(endpoint: string, body: unknown, raw = false): Promise<any> {
    const res = await fetch(new URL(endpoint, this.baseUrl), { method: 'POST', headers: this.#headers(), body: raw ? String(body) : JSON.stringify({ ...(body as object), base_info: BASE_INFO }) });
    assert.equal(res.status, 200, `${endpoint} answered HTTP ${res.status}`);
    return res.json();
  }

  async qrStatus(qrcode: string, verifyCode?: string): Promise<any> {
    const verify = verifyCode === undefined ? '' : `&verify_code=${encodeURIComponent(verifyCode)}`;
    const res = await fetch(new URL(`ilink/bot/get_qrcode_status?qrcode=${encodeURIComponent(qrcode)}${verify}`, this.baseUrl), {
      headers: { 'iLink-App-Id': 'bot', 'iLink-App-ClientVersion': '132105' },
    });
    assert.equal(res.status, 200);
    return res.json();
  }

  getUpdates(buf: string) {
    return this.post('ilink/bot/getupdates', { get_updates_buf: buf });
  }

  /** The protocol's upload: getuploadurl, then the ciphertext POSTed to the CDN; answers the media reference to send. */
  async upload(plain: Buffer, mediaType: number, toUserId: string): Promise<{ encrypt_query_param: string; aes_key: string; encrypt_type: number; key: Buffer }> {
    const key = randomBytes(16);
    const cipherText = aesEcb('encrypt', plain, key);
    const filekey = randomBytes(16).toString('hex');
    const answer = await this.post('ilink/bot/getuploadurl', {
      filekey, media_type: mediaType, to_user_id: toUserId, rawsize: plain.length, rawfilemd5: md5(plain),
      filesize: cipherText.length, no_need_thumb: true, aeskey: key.toString('hex'),
    });
    assert.equal(answer.ret, 0, JSON.stringify(answer));
    const res = await fetch(answer.upload_full_url, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(cipherText) });
    assert.equal(res.status, 200, `CDN upload: ${res.status} ${res.headers.get('x-error-message')}`);
    const param = res.headers.get('x-encrypted-param');
    assert.ok(param, 'the CDN answers x-encrypted-param');
    // As the plugin sends it: base64 of the key's hex text.
    return { encrypt_query_param: param, aes_key: Buffer.from(key.toString('hex')).toString('base64'), encrypt_type: 1, key };
  }

  /**
   * An image or video with its thumbnail: getuploadurl with the thumb_* fields (one aeskey encrypts both), then both
   * uploads to the CDN base URL as the plugin builds it from upload_param; answers media and thumb_media to send.
   */
  async uploadWithThumb(plain: Buffer, thumb: Buffer, mediaType: number, toUserId: string): Promise<{ media: { encrypt_query_param: string; aes_key: string }; thumb_media: { encrypt_query_param: string }; key: Buffer }> {
    const key = randomBytes(16);
    const filekey = randomBytes(8).toString('hex');
    const answer = await this.post('ilink/bot/getuploadurl', {
      filekey, media_type: mediaType, to_user_id: toUserId, rawsize: plain.length, rawfilemd5: md5(plain), filesize: aesEcb('encrypt', plain, key).length,
      thumb_rawsize: thumb.length, thumb_rawfilemd5: md5(thumb), thumb_filesize: aesEcb('encrypt', thumb, key).length, no_need_thumb: false, aeskey: key.toString('hex'),
    });
    assert.equal(answer.ret, 0, JSON.stringify(answer));
    assert.ok(answer.upload_param && answer.thumb_upload_param, 'a thumb_upload_param is answered');
    const post = async (param: string, body: Buffer) => {
      const res = await fetch(`${this.baseUrl}ilink/cdn/upload?encrypted_query_param=${encodeURIComponent(param)}&filekey=${filekey}`, { method: 'POST', body: new Uint8Array(aesEcb('encrypt', body, key)) });
      assert.equal(res.status, 200, `CDN upload: ${res.status} ${res.headers.get('x-error-message')}`);
      return res.headers.get('x-encrypted-param')!;
    };
    const [main, small] = [await post(answer.upload_param, plain), await post(answer.thumb_upload_param, thumb)];
    return { media: { encrypt_query_param: main, aes_key: key.toString('base64') }, thumb_media: { encrypt_query_param: small }, key };
  }
}

export const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

export function aesEcb(direction: 'encrypt' | 'decrypt', data: Buffer, key: Buffer): Buffer {
  const cipher = direction === 'encrypt' ? createCipheriv('aes-128-ecb', key, null) : createDecipheriv('aes-128-ecb', key, null);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** The protocol's download: full_url (or the CDN base URL and encrypt_query_param), then AES-128-ECB with aes_key. */
export async function download(media: { full_url?: string; aes_key?: string }, aesKeyHex?: string): Promise<Buffer> {
  assert.ok(media.full_url, 'a full_url');
  const res = await fetch(media.full_url);
  assert.equal(res.status, 200, `CDN download: ${res.status}`);
  const decoded = Buffer.from(media.aes_key ?? '', 'base64');
  const key = aesKeyHex ? Buffer.from(aesKeyHex, 'hex') : decoded.length === 16 ? decoded : Buffer.from(decoded.toString(), 'hex');
  return aesEcb('decrypt', Buffer.from(await res.arrayBuffer()), key);
}

export async function listen(h: Harness): Promise<string> {
  await h.app.http.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(h.app.http.server.address() as AddressInfo).port}/`;
}

/** Binds the instance as a bot by the QR flow (scan, then confirm); answers the bot's client and its credentials. */
export async function bindBot(h: Harness, baseUrl: string, guid: string): Promise<{ bot: IlinkClient; bound: any; botId: string }> {
  const client = new IlinkClient(baseUrl);
  const qr = await client.post('ilink/bot/get_bot_qrcode?bot_type=3', { local_token_list: [] });
  await ok(h.direct('/ilink/scan_qrcode', { guid, qrcode: qr.qrcode, action: 'scan' }));
  const { bot_id: botId } = await ok(h.direct('/ilink/scan_qrcode', { guid, qrcode: qr.qrcode, action: 'confirm' }));
  const bound = await client.qrStatus(qr.qrcode);
  assert.equal(bound.status, 'confirmed', JSON.stringify(bound));
  return { bot: new IlinkClient(`${bound.baseurl}/`, bound.bot_token), bound, botId };
}

/** The iLink wire through the app object (API tests): every answer must be HTTP 200 with the protocol's body. */
export const ilinkApi = (h: Harness) => ({
  async post(path: string, body: unknown, token?: string): Promise<any> {
    const res = await h.app.http.inject({
      method: 'POST', url: path, payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorizationtype: 'ilink_bot_token', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    assert.equal(res.statusCode, 200, `${path} answered HTTP ${res.statusCode}: ${res.body}`);
    return res.json();
  },
  async qrStatus(qrcode: string, verifyCode?: string): Promise<any> {
    const verify = verifyCode === undefined ? '' : `&verify_code=${encodeURIComponent(verifyCode)}`;
    const res = await h.app.http.inject({ method: 'GET', url: `/ilink/bot/get_qrcode_status?qrcode=${encodeURIComponent(qrcode)}${verify}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  },
  async newQr(localTokens: string[] = []): Promise<string> {
    const qr = await this.post('/ilink/bot/get_bot_qrcode?bot_type=3', { local_token_list: localTokens });
    assert.equal(qr.ret, 0, JSON.stringify(qr));
    return qr.qrcode as string;
  },
});

/**
 * A bound bot and its instance as the e2e tests look at them: getupdates one message at a time (the buf kept), what a
 * person's phone shows from the account, and a CDN object as the instance itself downloads it.
 */
export function botView(h: Harness, bot: IlinkClient, guid: string, me: string) {
  let buf = '';
  return {
    async nextMessage(): Promise<any> {
      const answer = await bot.getUpdates(buf);
      assert.equal(answer.ret, 0, JSON.stringify(answer));
      assert.equal(answer.msgs.length, 1, JSON.stringify(answer.msgs));
      buf = answer.get_updates_buf;
      return answer.msgs[0];
    },
    /** The last message of a type the account sent into a conversation (`talker`: the account, or a room), on `wxid`'s phone. */
    async lastFromMe(wxid: string, talker: string, msgType: number): Promise<any> {
      const { messages } = await ok(h.direct('/sandbox/messages/list', { wxid, talker }));
      const found = messages.filter((m: { msg_type: number; from_username: string }) => m.msg_type === msgType && m.from_username === me).at(-1);
      assert.ok(found, `${wxid} got a ${msgType} in ${talker}: ${JSON.stringify(messages.map((m: { msg_type: number }) => m.msg_type))}`);
      return found;
    },
    async cdnBytes(fileType: number, fileId: string, aesKey: string, size: number): Promise<Buffer> {
      return Buffer.from((await ok(h.direct('/cloud/cdn_download', { guid, file_type: fileType, file_id: fileId, aes_key: aesKey, file_size: size }))).base64, 'base64');
    },
  };
}
