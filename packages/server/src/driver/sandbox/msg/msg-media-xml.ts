// The content of media messages as WeChat delivers it (catalog §6/§7): image <img> (3), voice <voicemsg> (34), video
// <videomsg> (43) and the file appmsg type 6 with <appattach>; every CDN field a receiver needs to download is in it.
import { xmlAttr } from '../wechat-xml.ts';
import { appMsgEnvelope, xmlText } from './msg-xml.ts';

const attrs = (list: ReadonlyArray<readonly [string, string | number]>) => list.map(([k, v]) => `${k}="${xmlAttr(v)}"`).join(' ');

export interface ImageXmlInput {
  readonly fileId: string;
  readonly aesKey: string;
  readonly md5: string;
  /** sizes (bytes) and dimensions of the three renditions */
  readonly hd: { size: number; width: number; height: number };
  readonly mid: { size: number; width: number; height: number };
  readonly thumb: { size: number; width: number; height: number };
}

/** 3: WeChat keeps all renditions under one file id; the download file_type (1/2/3) picks one. */
export function imageXml(i: ImageXmlInput): string {
  const img = attrs([
    ['aeskey', i.aesKey], ['encryver', 1], ['cdnthumbaeskey', i.aesKey], ['cdnthumburl', i.fileId], ['cdnthumblength', i.thumb.size],
    ['cdnthumbheight', i.thumb.height], ['cdnthumbwidth', i.thumb.width], ['cdnmidheight', i.mid.height], ['cdnmidwidth', i.mid.width],
    ['cdnhdheight', i.hd.height], ['cdnhdwidth', i.hd.width], ['cdnmidimgurl', i.fileId], ['length', i.mid.size], ['cdnbigimgurl', i.fileId],
    ['hdlength', i.hd.size], ['md5', i.md5], ['hevc_mid_size', i.mid.size], ['originsourcemd5', i.md5],
  ]);
  return `<?xml version="1.0"?>\n<msg>\n\t<img ${img}>\n\t\t<secHashInfoBase64 />\n\t\t<live>\n\t\t\t<duration>0</duration>\n\t\t\t<size>0</size>\n\t\t\t<md5 />\n\t\t\t<fileid />\n\t\t\t<hdsize>0</hdsize>\n\t\t\t<hdmd5 />\n\t\t\t<hdfileid />\n\t\t\t<stillimagetimems>0</stillimagetimems>\n\t\t</live>\n\t</img>\n\t<platform_signature />\n\t<imgdatahash />\n\t<ImgSourceInfo>\n\t\t<ImgSourceUrl />\n\t\t<BizType>0</BizType>\n\t</ImgSourceInfo>\n</msg>\n`;
}

export interface VideoXmlInput {
  readonly fileId: string;
  readonly aesKey: string;
  readonly md5: string;
  readonly size: number;
  readonly playLengthSeconds: number;
  readonly thumb: { size: number; width: number; height: number };
  readonly fromUsername: string;
}

/** 43: video and thumbnail under one file id (download file_type 4 and 3). */
export function videoXml(v: VideoXmlInput): string {
  const video = attrs([
    ['aeskey', v.aesKey], ['cdnvideourl', v.fileId], ['cdnthumbaeskey', v.aesKey], ['cdnthumburl', v.fileId], ['length', v.size],
    ['playlength', v.playLengthSeconds], ['cdnthumblength', v.thumb.size], ['cdnthumbwidth', v.thumb.width], ['cdnthumbheight', v.thumb.height],
    ['fromusername', v.fromUsername], ['md5', v.md5], ['newmd5', v.md5], ['isplaceholder', 0], ['rawmd5', ''], ['rawlength', 0],
    ['cdnrawvideourl', ''], ['cdnrawvideoaeskey', ''], ['overwritenewmsgid', 0], ['originsourcemd5', v.md5], ['isad', 0],
  ]);
  return `<?xml version="1.0"?>\n<msg>\n\t<videomsg ${video} />\n</msg>\n`;
}

export interface FileXmlInput {
  readonly fileId: string;
  readonly aesKey: string;
  readonly md5: string;
  readonly size: number;
  readonly fileName: string;
  readonly fromUsername: string;
}

/** 49 / appmsg type 6: the attachment's file id and key in <appattach>, its md5 beside it. */
export function fileXml(f: FileXmlInput): string {
  const dot = f.fileName.lastIndexOf('.');
  const ext = dot > 0 ? f.fileName.slice(dot + 1) : '';
  const el = (name: string, text: string | number) => (text === '' ? `<${name} />` : `<${name}>${xmlText(text)}</${name}>`);
  const appmsg = [
    `<appmsg appid="" sdkver="0">`,
    `\t\t${el('title', f.fileName)}`,
    '\t\t<des />',
    '\t\t<action>view</action>',
    '\t\t<type>6</type>',
    '\t\t<showtype>0</showtype>',
    '\t\t<content />',
    '\t\t<url />',
    '\t\t<appattach>',
    `\t\t\t${el('totallen', f.size)}`,
    `\t\t\t${el('attachid', `@cdn_${f.fileId}_${f.aesKey}_1`)}`,
    '\t\t\t<emoticonmd5 />',
    `\t\t\t${el('fileext', ext)}`,
    `\t\t\t${el('cdnattachurl', f.fileId)}`,
    `\t\t\t${el('aeskey', f.aesKey)}`,
    '\t\t\t<encryver>1</encryver>',
    '\t\t\t<overwrite_newmsgid />',
    '\t\t\t<fileuploadtoken />',
    '\t\t</appattach>',
    `\t\t${el('md5', f.md5)}`,
    '\t</appmsg>',
  ].join('\n');
  return appMsgEnvelope(appmsg, f.fromUsername);
}

export interface VoiceXmlInput {
  readonly fromUsername: string;
  readonly voiceLengthMs: number;
  readonly size: number;
  readonly aesKey: string;
  /** The CDN file id of the SILK stream. */
  readonly voiceUrl: string;
  readonly clientMsgId: string;
  readonly bufId: string;
}

/** 34: SILK voice (voiceformat 4), length in ms. */
export function voiceXml(v: VoiceXmlInput): string {
  const voice = attrs([
    ['endflag', 1], ['cancelflag', 0], ['forwardflag', 0], ['voiceformat', 4], ['voicelength', v.voiceLengthMs], ['length', v.size],
    ['bufid', v.bufId], ['aeskey', v.aesKey], ['voiceurl', v.voiceUrl], ['voicemd5', ''], ['clientmsgid', v.clientMsgId], ['fromusername', v.fromUsername],
  ]);
  return `<msg><voicemsg ${voice} /></msg>`;
}
