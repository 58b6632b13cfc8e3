// The /room/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const roomEndpoints = defineModule('room', [
  endpoint({
    path: '/room/get_chatroom_detail',
    module: 'room',
    summaryZh: '获取群信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
    }),
    // catalog response: baseResponse | announcement: string | chatRoomInfoVersion: int | announcementEditor: string | announcementPublishTime: int | chatRoomStatus: int
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/get_chatroom_member_detail',
    module: 'room',
    summaryZh: '获取群成员详细',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      version: Type.Optional(Type.Integer({ default: 0, description: 'member-list version (serverVersion from a previous call); 0 = full' })),
    }),
    // catalog response: baseResponse | chatroomUserName: string (inferred) | serverVersion: int (pass back as version) | newChatroomData: {memberCount, chatRoomMember: [{userName, nickName, displayName (group nickname), bigHeadImgUrl, smallHeadImgUrl, chatroomMemberFlag, inviterUserName}], infoMask} | (PY-B notes also report chatRoomOwner and addChatRoomSceneNewXml in real responses)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/create_chatroom',
    module: 'room',
    summaryZh: '创建群组',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username_list: Type.Array(Type.String(), { description: 'list of wxids / chatroom ids' }),
    }),
    // catalog response: baseResponse | chatRoomName: {string} — new room id xxx@chatroom | topic: {string} | memberCount: int | memberList: [{memberName:{string}, memberStatus, nickName:{string}, ...}] | bigHeadImgUrl, smallHeadImgUrl
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/add_chatroom_member',
    module: 'room',
    summaryZh: '添加群成员(低于40人)',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      username_list: Type.Array(Type.String(), { description: 'list of wxids / chatroom ids' }),
    }),
    // catalog response: baseResponse | memberCount | memberList: [{memberName:{string}, memberStatus}]
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/invite_chatroom_member',
    module: 'room',
    summaryZh: '邀请群成员',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      username_list: Type.Array(Type.String(), { description: 'list of wxids / chatroom ids' }),
    }),
    // catalog response: baseResponse
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/del_chatroom_member',
    module: 'room',
    summaryZh: '移除群成员',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      username_list: Type.Array(Type.String(), { description: 'list of wxids / chatroom ids' }),
    }),
    // catalog response: baseResponse | memberCount | memberList
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/modify_chatroom_name',
    module: 'room',
    summaryZh: '修改群名称',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      name: Type.String({ description: 'new chatroom name' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/set_chatroom_announcement',
    module: 'room',
    summaryZh: '设置群公告',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      announcement: Type.String({ description: 'announcement text' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/modify_chatroom_display_name',
    module: 'room',
    summaryZh: '修改群显示昵称',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      display_name: Type.String({ description: 'my display name inside the chatroom' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/modify_chatroom_show_name_flag',
    module: 'room',
    summaryZh: '是否显示群成员昵称',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      status: Type.Optional(Type.Integer({ default: 0, description: '0 = hide, 1 = show member nicknames (vendor CLI)' })),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/modify_chatroom_contact_flag',
    module: 'room',
    summaryZh: '是否保存到通讯录',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      status: Type.Optional(Type.Integer({ default: 0, description: '0 = remove from, 1 = save to address book (vendor CLI)' })),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/modify_chatroom_fold_flag',
    module: 'room',
    summaryZh: '是否折叠群',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      status: Type.Optional(Type.Integer({ default: 0, description: '0 = unfold, 1 = fold (vendor CLI)' })),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/modify_chatroom_disturb_flag',
    module: 'room',
    summaryZh: '消息免打扰',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      status: Type.Optional(Type.Integer({ default: 0, description: '0 = off, 1 = mute (vendor CLI)' })),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/add_chatroom_member_friend',
    module: 'room',
    summaryZh: '添加群成员为好友',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      username: Type.String({ description: 'wxid / username of the target contact' }),
      verify_content: Type.Optional(Type.String({ default: '', description: 'greeting / verification text' })),
    }),
    // catalog response: baseResponse | userName (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/quit_chatroom',
    module: 'room',
    summaryZh: '退出群',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/tranfer_chatroom_owner',
    module: 'room',
    summaryZh: '转让群主',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      username: Type.String({ description: 'wxid / username of the target contact' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/set_top_msg',
    module: 'room',
    summaryZh: '置顶消息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      summary: Type.String({ description: 'summary text shown for the pinned message' }),
      msg_info: ChatMsg,
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/remove_top_msg',
    module: 'room',
    summaryZh: '取消置顶消息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      msg_id: Type.String({ description: 'message id (server msg id / new_msg_id as string)' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/get_top_msg_list',
    module: 'room',
    summaryZh: '获取置顶消息列表',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
    }),
    // catalog response: baseResponse | list of pinned messages (field names unknown)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/get_chatroom_qrcode',
    module: 'room',
    summaryZh: '获取群二维码',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
    }),
    // catalog response: baseResponse | qrcode: {iLen, buffer: base64 PNG} | revokeQrcodeWording / expiry (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/room/modify_chatroom_top_flag',
    module: 'room',
    summaryZh: '置顶聊天',
    summaryEn: 'TODO',
    description: 'status: 0-取消置顶, 1-置顶',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      status: Type.Optional(Type.Integer({ default: 1, description: '0 = unpin, 1 = pin (doc)' })),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}} | ret: [int] (inferred, oplog result list)
    response: wechatResponse(),
  }),
] as const);
