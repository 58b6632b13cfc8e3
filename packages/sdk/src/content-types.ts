// The shapes parseMessageContent returns: one variant per kind of WeChat message content carried in 1010 `content`.
import type { NewMsgPayload } from './endpoints.generated.ts';

/**
 * A 1010 NewMsg payload, as the contract declares it: every key real traffic always carries is required
 * (`from_username`, `msg_id`, …). Parsing needs only `msg_type` and `content`.
 */
export type NewMessage = NewMsgPayload;

/** Every XML attribute of the content's main element, as strings (WeChat sends many more than are typed here). */
export type Attributes = Readonly<Record<string, string>>;

interface Base {
  /** `msg_type` of the message. */
  readonly msgType: number;
}

export interface TextContent extends Base {
  readonly kind: 'text';
  readonly text: string;
}

/** 3: every rendition shares one CDN file id; download with /cloud/cdn_download file_type 1 (hd), 2 (mid), 3 (thumb). */
export interface ImageContent extends Base {
  readonly kind: 'image';
  readonly aesKey: string;
  readonly cdnThumbUrl: string;
  readonly cdnMidImgUrl: string;
  readonly cdnBigImgUrl: string;
  readonly cdnThumbAesKey: string;
  /** bytes of the mid rendition */
  readonly length: number;
  readonly hdLength: number;
  readonly thumbLength: number;
  readonly md5: string;
  readonly attrs: Attributes;
}

/** 34: SILK voice; download with /cloud/download_voice {msg_id, length}. */
export interface VoiceContent extends Base {
  readonly kind: 'voice';
  /** duration in milliseconds */
  readonly voiceLength: number;
  /** bytes */
  readonly length: number;
  readonly aesKey: string;
  readonly voiceUrl: string;
  readonly bufId: string;
  readonly voiceFormat: number;
  readonly fromUsername: string;
  readonly attrs: Attributes;
}

/** 43: video and thumbnail under one file id (download file_type 4 and 3). */
export interface VideoContent extends Base {
  readonly kind: 'video';
  readonly aesKey: string;
  readonly cdnVideoUrl: string;
  readonly cdnThumbUrl: string;
  readonly cdnThumbAesKey: string;
  /** bytes */
  readonly length: number;
  /** seconds */
  readonly playLength: number;
  readonly thumbLength: number;
  readonly md5: string;
  readonly fromUsername: string;
  readonly attrs: Attributes;
}

/** 47: a sticker; `cdnUrl` is directly downloadable, `encryptUrl` + `aesKey` through /cloud/download_wx_emotion. */
export interface EmojiContent extends Base {
  readonly kind: 'emoji';
  readonly md5: string;
  readonly length: number;
  readonly cdnUrl: string;
  readonly encryptUrl: string;
  readonly aesKey: string;
  readonly externUrl: string;
  readonly width: number;
  readonly height: number;
  readonly attrs: Attributes;
}

/** 48 */
export interface LocationContent extends Base {
  readonly kind: 'location';
  readonly latitude: number;
  readonly longitude: number;
  readonly scale: number;
  /** the address line */
  readonly label: string;
  readonly poiName: string;
  readonly fromUsername: string;
  readonly attrs: Attributes;
}

/** 42: a shared contact; `antispamTicket` lets the receiver add them (scene 17). */
export interface CardContent extends Base {
  readonly kind: 'card';
  readonly username: string;
  readonly nickname: string;
  readonly alias: string;
  readonly bigHeadImgUrl: string;
  readonly smallHeadImgUrl: string;
  readonly province: string;
  readonly city: string;
  readonly signature: string;
  readonly sex: number;
  readonly antispamTicket: string;
  readonly attrs: Attributes;
}

/** 37: accept with /contact/verify_friend {username: encryptUsername, ticket, scene, opcode: 3}. */
export interface FriendRequestContent extends Base {
  readonly kind: 'friend_request';
  readonly fromUsername: string;
  readonly fromNickname: string;
  readonly encryptUsername: string;
  readonly ticket: string;
  readonly scene: number;
  /** the greeting */
  readonly content: string;
  readonly attrs: Attributes;
}

/** What every appmsg (49) carries, whatever its `<type>`. */
interface AppBase extends Base {
  /** `<appmsg><type>` */
  readonly appType: number;
  readonly appId: string;
  readonly title: string;
  readonly des: string;
  readonly url: string;
  readonly fromUsername: string;
  /** The parsed `<appmsg>` element, for fields not typed here. */
  readonly appmsg: Readonly<Record<string, unknown>>;
}

/** appmsg 5: a link card. */
export interface LinkContent extends AppBase {
  readonly kind: 'link';
  readonly thumbUrl: string;
}

/** appmsg 6: a file; `title` is its name. */
export interface FileContent extends AppBase {
  readonly kind: 'file';
  readonly totalLen: number;
  readonly fileExt: string;
  readonly attachId: string;
  readonly cdnAttachUrl: string;
  readonly aesKey: string;
  readonly md5: string;
}

/** appmsg 33/36: a mini-program card. */
export interface MiniProgramContent extends AppBase {
  readonly kind: 'mini_program';
  /** gh_…@app */
  readonly username: string;
  readonly weAppId: string;
  readonly pagePath: string;
  readonly iconUrl: string;
  readonly sourceDisplayName: string;
}

export interface FinderMedia {
  readonly url: string;
  readonly thumbUrl: string;
  readonly coverUrl: string;
  readonly mediaType: number;
}

/** appmsg 51: a Channels (视频号) post. */
export interface FinderContent extends AppBase {
  readonly kind: 'finder';
  readonly objectId: string;
  readonly objectNonceId: string;
  readonly feedType: number;
  readonly nickname: string;
  readonly username: string;
  readonly avatar: string;
  readonly desc: string;
  readonly mediaList: readonly FinderMedia[];
}

/** The quoted message of a quote reply (`<refermsg>`). */
export interface ReferMessage {
  readonly msgType: number;
  /** the quoted message's newMsgId (`svrid`) */
  readonly msgId: string;
  readonly fromUsername: string;
  readonly chatUsername: string;
  readonly displayName: string;
  /** its content: text, or its XML (parse it with parseMessageContent({msg_type, content})) */
  readonly content: string;
  readonly msgSource: string;
  readonly createTime: number;
}

/** appmsg 57: a quote reply; `title` is the reply text. */
export interface QuoteContent extends AppBase {
  readonly kind: 'quote';
  readonly refer: ReferMessage;
}

/** Any other appmsg type (3 music, 4 video share, 19 chat record, 2000 transfer, 2001 red packet, …). */
export interface AppContent extends AppBase {
  readonly kind: 'app';
}

/** 10002 revokemsg: `newMsgId` is the revoked message's msg_id. */
export interface RevokeContent extends Base {
  readonly kind: 'revoke';
  readonly session: string;
  readonly msgId: string;
  readonly newMsgId: string;
  readonly replaceMsg: string;
}

/** 10002 pat (拍一拍); the template names people as `${wxid}`. */
export interface PatContent extends Base {
  readonly kind: 'pat';
  readonly fromUsername: string;
  readonly chatUsername: string;
  readonly pattedUsername: string;
  readonly template: string;
  readonly suffix: string;
}

/** 10000: a system line ("你已添加了…", "…加入了群聊"), or another 10002 sysmsg (`sysmsgType` says which). */
export interface SystemContent extends Base {
  readonly kind: 'system';
  /** the text shown, when there is one */
  readonly text: string;
  /** `<sysmsg type>` of an XML system message, '' for plain text */
  readonly sysmsgType: string;
  readonly xml: Readonly<Record<string, unknown>> | null;
}

/** A type this parser does not know, or content that is not the XML its type promises. */
export interface UnknownContent extends Base {
  readonly kind: 'unknown';
  readonly content: string;
  /** why it was not parsed */
  readonly reason: string;
}

export type AppMessageContent = LinkContent | FileContent | MiniProgramContent | FinderContent | QuoteContent | AppContent;

export type MessageContent =
  | TextContent | ImageContent | VoiceContent | VideoContent | EmojiContent | LocationContent | CardContent
  | FriendRequestContent | AppMessageContent | RevokeContent | PatContent | SystemContent | UnknownContent;

export type MessageKind = MessageContent['kind'];
