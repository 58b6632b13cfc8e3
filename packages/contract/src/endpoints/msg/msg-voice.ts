// Voice in /msg/*: sending a voice message, and the transcription jobs (new id → upload → check → get); part of the
// msg module (msg.ts).
import { Type } from '@sinclair/typebox';
import { endpoint, Guid, EmptyData } from '../../define.ts';
import { EXAMPLE, MsgId, SelfWxid, ToUsername, Wxid } from '../../ids.ts';
import { EXAMPLE_URL } from '../../cdn-fields.ts';
import { EXAMPLE_UNIX_SECONDS, UInt32, UnixSeconds } from '../../integers.ts';
import { wechatResponse } from '../../wechat.ts';

/** The example voice message (3.2 s of SILK), its transcription job id (32 hex digits) and what it says. */
const VOICE_MS = 3200;
const VOICE_BYTES = 5812;
const VOICE_ID = 'a3f9c1e27b5d48e6904c2f1d8e7b6a53';
export const VOICE_TEXT = '好的，我五分钟后到会议室';

/** The longest voice message WeChat sends, in ms. */
export const MAX_VOICE_MESSAGE_MS = 60_000;

/** WeChat's UploadVoiceResponse (the protobuf's names; newMsgId as a decimal string, as every send answers it). */
export const UploadVoiceResponse = wechatResponse({
  fromUserName: SelfWxid('this account\'s wxid (a plain string in UploadVoice)'),
  toUserName: Wxid('the receiver'),
  offset: UInt32({ description: 'bytes of the SILK stream received so far (all of it: wxgate sends in one piece)', examples: [VOICE_BYTES] }),
  length: UInt32({ description: 'bytes of the SILK stream', examples: [VOICE_BYTES] }),
  createTime: UnixSeconds(),
  clientMsgId: Type.String({ description: 'client id (a string in UploadVoice; the <voicemsg clientmsgid>)', examples: [`${EXAMPLE.friend}_${EXAMPLE_UNIX_SECONDS}_92`] }),
  msgId: UInt32({ description: 'local id', examples: [3] }),
  voiceLength: UInt32({ description: 'duration in ms (the <voicemsg voicelength>)', examples: [VOICE_MS] }),
  endFlag: UInt32({ description: '1: the last (here the only) piece', examples: [1] }),
  cancelFlag: UInt32({ description: '0: not cancelled' }),
  newMsgId: MsgId('64-bit server message id as a decimal string; the id to revoke, quote or download_voice'),
}, 'WeChat UploadVoiceResponse', 'UploadVoiceResponse');

/** The job id every later step names (also /other/voice_trans_block's). */
export const VoiceId = Type.String({ description: 'voice-transcription job id from /msg/new_trans_voice_id', examples: [VOICE_ID] });

/** A voice message's length as its XML gives it (`<voicemsg voicelength>`, ms). */
export const VoiceLength = () => UInt32({ description: 'voice length (ms, from <voicemsg voicelength>)', examples: [VOICE_MS] });

/** The job and the voice message it transcribes, as upload and check name them. */
const VoiceMessageRef = {
  voice_id: VoiceId,
  msg_id: MsgId(),
  length: VoiceLength(),
};

export const MSG_VOICE_ENDPOINTS = [
  endpoint({
    path: '/msg/send_voice',
    module: 'msg',
    summaryZh: '发送语音',
    summaryEn: 'Send a voice message from SILK, MP3, WAV or AMR audio',
    description: [
      'The audio comes from the CDN (file_id + aes_key, e.g. a cdn_upload file_type 5, or the voiceurl/aeskey of a',
      'received voice) or from url (http(s), fetched with the SSRF rules of cdn_upload; a data: URL or base64). It is',
      `sent as WeChat SILK v3 (transcoded server-side) and may last at most ${MAX_VOICE_MESSAGE_MS / 1000} s. voice_length`,
      'is measured from the audio; a voice_length given must agree with it within 1000 ms.',
    ].join(' '),
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    outsideCatalog: 'seed-summary §6 (消息管理) lists 发送语音 among the msg module\'s media sends; the catalog\'s export lacks it',
    request: Type.Object({
      guid: Guid,
      to_username: ToUsername(),
      file_id: Type.Optional(Type.String({ default: '', description: 'CDN file id of the audio (instead of url)' })),
      aes_key: Type.Optional(Type.String({ default: '', description: 'CDN AES key of file_id (32 hex chars)' })),
      file_size: Type.Optional(UInt32({ default: 0, description: 'size of file_id\'s content in bytes; 0 = not checked' })),
      url: Type.Optional(Type.String({ default: '', description: 'the audio as an http(s) URL, a data: URL or base64 (instead of file_id)', examples: [EXAMPLE_URL.voice] })),
      voice_length: Type.Optional(UInt32({ default: 0, description: 'duration in ms; 0 = measured (a value given must match the audio within 1000 ms)' })),
    }),
    response: UploadVoiceResponse,
  }),
  endpoint({
    path: '/msg/new_trans_voice_id',
    module: 'msg',
    summaryZh: '生成语音转文字ID',
    summaryEn: 'Create a voice-transcription job id',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    response: Type.Object({
      voice_id: Type.String({ description: 'pass to upload_voice_trans, check_voice_trans and get_voice_trans', examples: [VOICE_ID] }),
    }, { description: 'the new job' }),
  }),
  endpoint({
    path: '/msg/check_voice_trans',
    module: 'msg',
    summaryZh: '检查语音转文字',
    summaryEn: 'Check whether a voice transcription is ready',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      ...VoiceMessageRef,
    }),
    response: Type.Object({
      status: Type.Optional(UInt32({ description: 'job state', examples: [2] })),
      ready: Type.Optional(Type.Boolean({ description: 'true when the text can be fetched', examples: [true] })),
      interval: Type.Optional(UInt32({ description: 'seconds to wait before polling again', examples: [1] })),
    }, { description: 'job state (field names inferred)' }),
  }),
  endpoint({
    path: '/msg/upload_voice_trans',
    module: 'msg',
    summaryZh: '上传待转文字的语音',
    summaryEn: 'Upload a voice message for transcription',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      ...VoiceMessageRef,
    }),
    response: EmptyData,
  }),
  endpoint({
    path: '/msg/get_voice_trans',
    module: 'msg',
    summaryZh: '获取语音转文字结果',
    summaryEn: 'Get the text of a voice transcription',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      voice_id: VoiceId,
    }),
    response: Type.Object({
      text: Type.Optional(Type.String({ description: 'the transcribed text', examples: [VOICE_TEXT] })),
      endFlag: Type.Optional(UInt32({ description: '1 when the transcription is complete', examples: [1] })),
    }, { description: 'the transcription (field names inferred)' }),
  }),
] as const;
