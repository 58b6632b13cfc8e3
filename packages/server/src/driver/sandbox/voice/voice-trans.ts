// Voice to text on the sandbox: the job flow of /msg (new_trans_voice_id → upload_voice_trans → check → get), the
// synchronous /other/voice_trans (silk or mp3 from a URL) and /other/voice_trans_block, all through the speech engine.
import { invalidField } from '@wxgate/contract';
import { readUploadSource } from '../../cdn/upload-source.ts';
import type { DriverOperations } from '../../driver.ts';
import { voiceToSpeechPcm } from '../../speech/voice-audio.ts';
import { requireMedia } from '../cloud.ts';
import type { VoiceJobs } from './voice-jobs.ts';
import type { SandboxMedia } from '../cloud.ts';

/** Polling advice while the engine works, in seconds (a few seconds of voice take about one). */
const POLL_INTERVAL_SECONDS = 1;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** block_data: standard base64 (whitespace allowed), strictly, so junk is a 422 and not silently different bytes. */
function decodeBlock(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 === 1 || !BASE64.test(compact)) throw invalidField('block_data', 'not base64');
  return Buffer.from(compact, 'base64');
}

export function voiceTransOperations(jobs: VoiceJobs, mediaOption: SandboxMedia | undefined, appId: string, guid: string): DriverOperations {
  return {
    '/msg/new_trans_voice_id': async () => ({ voice_id: await jobs.create(appId, guid) }),
    '/msg/upload_voice_trans': async (req) => {
      await jobs.requireLoggedIn(appId, guid);
      await jobs.uploadMessage(appId, guid, req.voice_id, req.msg_id, req.length);
      return {};
    },
    '/msg/check_voice_trans': async (req) => {
      await jobs.requireLoggedIn(appId, guid);
      const job = await jobs.get(guid, req.voice_id);
      if (job.source === 'message' && job.msgId !== req.msg_id) throw invalidField('msg_id', 'not the message uploaded to this voice_id');
      const { state } = await jobs.progress(appId, guid, req.voice_id);
      const ready = state === 'done';
      return { status: ready ? 1 : 0, ready, interval: ready ? 0 : POLL_INTERVAL_SECONDS };
    },
    '/msg/get_voice_trans': async (req) => {
      await jobs.requireLoggedIn(appId, guid);
      const job = await jobs.progress(appId, guid, req.voice_id);
      return job.state === 'done' ? { text: job.text, endFlag: 1 } : { text: '', endFlag: 0 };
    },
    '/other/voice_trans': async (req) => {
      if (req.format !== 1 && req.format !== 2) throw invalidField('format', 'use 1 for SILK (WeChat voice) or 2 for MP3');
      const media = requireMedia(mediaOption);
      await jobs.requireLoggedIn(appId, guid);
      const { bytes } = await readUploadSource(req.url, media.services.fetcher, media.maxObjectBytes);
      // block_size is the vendor's chunking of its upload to WeChat; here the whole file goes to the engine at once
      const pcm = await voiceToSpeechPcm(bytes, req.format === 1 ? 'silk' : 'mp3', 'url');
      return { text: await jobs.engine.transcribe(pcm) };
    },
    '/other/voice_trans_block': async (req) => {
      if (req.end_flag !== 0 && req.end_flag !== 1) throw invalidField('end_flag', 'use 1 on the last block, 0 on the others');
      if (req.seq < 0) throw invalidField('seq', 'block numbers start at 0 (or 1)');
      if (req.offset < 0) throw invalidField('offset', 'the byte offset of the block in the voice, 0 or more');
      const data = decodeBlock(req.block_data);
      await jobs.requireLoggedIn(appId, guid);
      const job = await jobs.addBlock(guid, { voiceId: req.voice_id, data, seq: req.seq, offset: req.offset, end: req.end_flag === 1 });
      if (job.state === 'failed') await jobs.progress(appId, guid, req.voice_id); // answers the job's error
      return job.state === 'done' ? { text: job.text, end_flag: 1 } : { text: '', end_flag: 0 };
    },
  };
}
