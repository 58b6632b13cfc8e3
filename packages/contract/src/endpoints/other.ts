// The /other/* endpoints: voice-to-text transcription, declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { UInt32 } from '../integers.ts';
import { EXAMPLE_URL, Url } from '../cdn-fields.ts';
import { VOICE_TEXT, VoiceId } from './msg/msg-voice.ts';


export const otherEndpoints = defineModule('other', [
  endpoint({
    path: '/other/voice_trans',
    module: 'other',
    summaryZh: '语音转文字',
    summaryEn: 'Transcribe a voice file from a URL',
    description: 'format: 1 SILK, 2 MP3.',
    notesZh: 'format 1: silk格式, 2: mp3格式',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Url(EXAMPLE_URL.voice),
      format: UInt32({ description: '1 = silk, 2 = mp3 (doc)', examples: [2] }),
      block_size: Type.Optional(UInt32({ default: 4096, description: 'block size for chunked transcription' })),
    }),
    response: Type.Object({
      text: Type.Optional(Type.String({ description: 'the transcribed text', examples: [VOICE_TEXT] })),
    }, { description: 'the transcription (field name inferred)' }),
  }),
  endpoint({
    path: '/other/voice_trans_block',
    module: 'other',
    summaryZh: '语音转文字分片',
    summaryEn: 'Transcribe a voice file sent in blocks',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      voice_id: VoiceId,
      block_data: Type.String({ description: 'base64 block data', examples: ['AiMhU0lMS19WMwwApyX+NyVGaGuDdQ1a'] }),
      seq: UInt32({ description: 'block sequence number', examples: [0] }),
      offset: UInt32({ description: 'block offset', examples: [0] }),
      end_flag: UInt32({ description: '1 on the last block', examples: [1] }),
    }),
    response: Type.Object({
      text: Type.Optional(Type.String({ description: 'text so far', examples: [VOICE_TEXT] })),
      end_flag: Type.Optional(UInt32({ description: '1 when the transcription is complete', examples: [1] })),
    }, { description: 'the transcription (field names inferred)' }),
  }),
] as const);
