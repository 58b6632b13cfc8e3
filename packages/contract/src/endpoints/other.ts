// The /other/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const otherEndpoints = defineModule('other', [
  endpoint({
    path: '/other/voice_trans',
    module: 'other',
    summaryZh: '语音转文字',
    summaryEn: 'TODO',
    description: 'format 1: silk格式, 2: mp3格式',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'URL' }),
      format: Type.Integer({ description: '1 = silk, 2 = mp3 (doc)' }),
      block_size: Type.Optional(Type.Integer({ default: 4096, description: 'block size for chunked transcription' })),
    }),
    // catalog response: errcode | errmsg | data.text (inferred)
    response: EmptyData,
  }),
  endpoint({
    path: '/other/voice_trans_block',
    module: 'other',
    summaryZh: '语音转文字分片',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      voice_id: Type.String({ description: 'voice-transcription job id from /msg/new_trans_voice_id' }),
      block_data: Type.String({ description: 'base64 block data' }),
      seq: Type.Integer({ description: 'block sequence number' }),
      offset: Type.Integer({ description: 'block offset' }),
      end_flag: Type.Integer({ description: '1 on the last block' }),
    }),
    // catalog response: errcode | errmsg | data: {text?, end_flag?} (inferred)
    response: EmptyData,
  }),
] as const);
