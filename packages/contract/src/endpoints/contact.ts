// The /contact/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const contactEndpoints = defineModule('contact', [
  endpoint({
    path: '/contact/init_contact',
    module: 'contact',
    summaryZh: '同步联系人',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      contact_seq: Type.Optional(Type.Integer({ default: 0, description: 'currentWxcontactSeq cursor from the previous page; 0 = from start' })),
      room_seq: Type.Optional(Type.Integer({ default: 0, description: 'currentChatRoomContactSeq cursor from the previous page; 0 = from start' })),
    }),
    // catalog response: baseResponse | currentWxcontactSeq: int (next contact_seq) | currentChatRoomContactSeq: int (next room_seq) | countinueFlag: int (1 = more pages; WeChat's own spelling; clients also probe 'continueFlag') | contactUsernameList: [string] (wxid_, gh_ official accounts, xxx@chatroom)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/modify_contact_top_flag',
    module: 'contact',
    summaryZh: '置顶聊天',
    summaryEn: 'TODO',
    description: 'status: 0-取消置顶, 1-置顶',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
      status: Type.Optional(Type.Integer({ default: 1, description: '0 = unpin, 1 = pin (doc)' })),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/get_contact',
    module: 'contact',
    summaryZh: '获取联系人详细',
    summaryEn: 'TODO',
    description: '获取联系人、群成员、群信息均可使用此接口，只有群成员情况下才传 room_username ，其他情况参数只需要传 username_list',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username_list: Type.Array(Type.String(), { description: 'wxids or chatroom ids (contacts, room members, rooms)' }),
      room_username: Type.Optional(Type.String({ default: '', description: 'only when querying chatroom members: the chatroom id; otherwise omit/empty (doc)' })),
    }),
    // catalog response: baseResponse | contactCount: int (inferred) | contactList: [Contact] — userName:{string}, nickName:{string}, remark:{string}, alias, sex, province, city, signature, bigHeadImgUrl, smallHeadImgUrl, verifyFlag, contactType, chatRoomOwner, newChatroomData:{memberCount, chatRoomMember[], infoMask, watchMemberCount}, chatroomVersion, chatroomMaxCount, ... | ret: [int] / ticket: [...] (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/batch_get_contact_brief_info',
    module: 'contact',
    summaryZh: '批量获取联系人简要信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username_list: Type.Array(Type.String(), { description: 'list of wxids / chatroom ids' }),
    }),
    // catalog response: baseResponse | contactList: [{contact: {userName:{string}, nickName:{string}, remark:{string}, bigHeadImgUrl, smallHeadImgUrl, ...}, ...top-level extras such as displayName}]
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/search_contact',
    module: 'contact',
    summaryZh: '通过手机号，微信号或QQ搜素微信用户',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'phone number / WeChat id / QQ number to search' }),
      from_scene: Type.Optional(Type.Integer({ default: 0, description: 'search source scene' })),
      search_scene: Type.Optional(Type.Integer({ default: 1, description: 'search type: 1=phone, 2=wechat id, 3=QQ (per vendor CLI skill)' })),
    }),
    // catalog response: baseResponse | userName: {string} (v3_...@stranger for strangers, or wxid) | nickName: {string} | antispamTicket: string (v4_..., use as add_friend.ticket) | sex, province, city, signature, bigHeadImgUrl, smallHeadImgUrl, alias (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/add_friend',
    module: 'contact',
    summaryZh: '添加微信用户',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'username from search_contact (v3_...@stranger or wxid)' }),
      verify_content: Type.Optional(Type.String({ default: '', description: 'greeting / verification text' })),
      scene: Type.Optional(Type.Integer({ default: 3, description: 'add-contact scene value' })),
      ticket: Type.Optional(Type.String({ default: '', description: 'antispam ticket (v4_...) from search_contact' })),
    }),
    // catalog response: baseResponse | userName: string (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/verify_friend',
    module: 'contact',
    summaryZh: '检查好友状态、单向加好友和同意好友申请',
    summaryEn: 'TODO',
    description: 'opcode值: 检查好友状态=>1, 单向加好友=>2, 同意好友申请=>3',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'username (v3 encryptusername from the friend request, or wxid)' }),
      ticket: Type.Optional(Type.String({ default: '', description: 'ticket (v4/antispam ticket from the friend-request XML or search result)' })),
      scene: Type.Optional(Type.Integer({ default: 6, description: 'scene (default 6; use the scene from the friend-request XML when accepting)' })),
      opcode: Type.Optional(Type.Integer({ default: 1, description: '1 = check friend status, 2 = one-way add, 3 = accept friend request (doc)' })),
    }),
    // catalog response: baseResponse | userName: string (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/modify_remark',
    module: 'contact',
    summaryZh: '修改好友备注',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
      remark: Type.String({ description: 'new remark name' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/contact/del_friend',
    module: 'contact',
    summaryZh: '删除好友',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
] as const);
