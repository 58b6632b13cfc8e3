// /sandbox/messages/send_media: a simulated person sends an image, video, file, emoji or SILK voice — the content is
// put on the CDN first (outside the world's transaction), then the message goes out with WeChat's XML.
import { invalidField, MSG_TYPES, type Modules, type RequestOf, type ResponseOf } from '@wxgate/contract';
import { audioToVoicePcm } from '../../cdn/audio.ts';
import { readUploadSource } from '../../cdn/upload-source.ts';
import { encodeSilkVoice, isSilkVoice, silkDurationMs, sineTonePcm, withTencentHeader } from '../../../wechat/silk.ts';
import { requireMedia, uploadImage, uploadVideo, type SandboxMedia } from '../cloud.ts';
import { deliver, openConversation } from './msg-delivery.ts';
import { deliverVoice, mediaContent } from './msg-media.ts';
import { MESSAGE_SENDS } from './msg.ts';
import { committedView } from './msg-control.ts';
import type { NewSandboxMessage } from '../../../storage/sandbox-ports.ts';
import type { World } from '../world.ts';

type Req = RequestOf<Modules['sandbox']['/sandbox/messages/send_media']>;
type Res = ResponseOf<Modules['sandbox']['/sandbox/messages/send_media']>;

/** A voice as WeChat carries it: SILK v3 with the 0x02 byte, and its length in ms. */
async function voiceFrom(content: Buffer | null, durationMs: number): Promise<{ silk: Buffer; durationMs: number }> {
  if (!content) return encodeSilkVoice(sineTonePcm(durationMs, 440));
  if (isSilkVoice(content)) return { silk: withTencentHeader(content), durationMs: silkDurationMs(content) };
  return encodeSilkVoice(await audioToVoicePcm(content));
}

export async function sendMediaAsPerson(world: World, mediaOption: SandboxMedia | undefined, appId: string, req: Req): Promise<Res> {
  const media = requireMedia(mediaOption);
  // fail fast on unknown people before any upload
  await world.change(appId, (change) => change.requirePerson(req.from_wxid));
  const content = req.url ? (await readUploadSource(req.url, media.services.fetcher, media.maxObjectBytes)) : null;
  const fileName = req.file_name || content?.suggestedName || '';
  const owner = null; // made by the sandbox world, not by an instance
  let build: (change: Parameters<Parameters<World['change']>[1]>[0]) => Promise<NewSandboxMessage>;
  if (req.kind === 'voice') {
    const voice = await voiceFrom(content?.bytes ?? null, req.duration_ms ?? 2000);
    const up = await media.cdn.put({ appId, ownerGuid: owner, mediaKind: 'voice', fileName: 'voice.silk', renditions: [{ rendition: 'main', plain: voice.silk, durationMs: voice.durationMs }] });
    build = async (change) => {
      const person = await change.requirePerson(req.from_wxid);
      const stored = { fileId: up.fileId, aesKey: up.aesKey, size: voice.silk.length, durationMs: voice.durationMs };
      return (await deliverVoice(change, person, req.to_username, stored)).message;
    };
  } else {
    if (!content) throw invalidField('url', `url is required to send ${req.kind === 'image' ? 'an' : 'a'} ${req.kind}`, 'missing');
    const bytes = content.bytes;
    const up = req.kind === 'image' ? await uploadImage(media, appId, owner, bytes, 'image', fileName)
      : req.kind === 'video' ? await uploadVideo(media, appId, owner, bytes, 'video', fileName || 'video.mp4')
        : await media.cdn.put({ appId, ownerGuid: owner, mediaKind: req.kind === 'emoji' ? 'emoji' : 'file', fileName, renditions: [{ rendition: 'main', plain: bytes }] });
    const records = [...up.objects.values()];
    build = async (change) => {
      const person = await change.requirePerson(req.from_wxid);
      if (req.kind === 'emoji') {
        const main = up.objects.get('main')!;
        const sent = await MESSAGE_SENDS['/msg/send_emoji'](change, person, { to_username: req.to_username, file_id: up.fileId, aes_key: up.aesKey, file_size: main.size, file_md5: main.md5 });
        return sent.message;
      }
      const conversation = await openConversation(change, person, req.to_username);
      const out = req.kind === 'image' ? { msgType: MSG_TYPES.Image, content: mediaContent.image(records, up.fileId, up.aesKey) }
        : req.kind === 'video' ? { msgType: MSG_TYPES.Video, content: mediaContent.video(records, up.fileId, up.aesKey, person.wxid) }
          : { msgType: MSG_TYPES.App, appType: 6, content: mediaContent.file(records, up.fileId, up.aesKey, fileName, person.wxid), pushDetail: fileName };
      return deliver(change, person, conversation, out);
    };
  }
  return committedView(world, appId, await world.change(appId, build));
}
