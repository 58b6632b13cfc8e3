// The /msg/* voice-transcription jobs (new id → upload → check → get), declared once; part of the msg module (msg.ts).
import { Type } from '@sinclair/typebox';
import { endpoint, Guid, EmptyData } from '../define.ts';

/** The job id every later step names (also /other/voice_trans_block's). */
export const VoiceId = Type.String({ description: 'voice-transcription job id from /msg/new_trans_voice_id' });

/** The job and the voice message it transcribes, as upload and check name them. */
const VoiceMessageRef = {
  voice_id: VoiceId,
  msg_id: Type.String({ description: 'message id (server msg id / new_msg_id as string)' }),
  length: Type.Integer({ description: 'voice length (ms, from <voicemsg voicelength>)' }),
};

export const MSG_VOICE_ENDPOINTS = [
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
      voice_id: Type.String({ description: 'pass to upload_voice_trans, check_voice_trans and get_voice_trans' }),
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
      status: Type.Optional(Type.Integer({ description: 'job state' })),
      ready: Type.Optional(Type.Boolean({ description: 'true when the text can be fetched' })),
      interval: Type.Optional(Type.Integer({ description: 'seconds to wait before polling again' })),
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
      text: Type.Optional(Type.String({ description: 'the transcribed text' })),
      endFlag: Type.Optional(Type.Integer({ description: '1 when the transcription is complete' })),
    }, { description: 'the transcription (field names inferred)' }),
  }),
] as const;
