// The callback notify types (vendor enum) and the message types carried in 1010 events.

export const NOTIFY_TYPES = {
  Ready: 1001,
  LoginQRCodeChange: 1002,
  UserLogin: 1003,
  UserLogout: 1004,
  InitFinish: 1005,
  HeartBeatError: 1006,
  SessionTimeout: 1007,
  LoginFailed: 1008,
  ContactSyncFinish: 1009,
  NewMsg: 1010,
  BatchNewMsg: 1011,
  ContactInfoChange: 1039,
  FriendAdd: 1040,
  FriendDel: 1041,
  RoomAdd: 1042,
  RoomQuit: 1043,
  RoomDelMe: 1044,
  RoomDisband: 1045,
  RoomMemberAdd: 1046,
  RoomMemberUpdate: 1047,
  RoomMemberDel: 1048,
  ModContact: 1200,
  DelContact: 1201,
  OpenImContactAdd: 1202,
  OpenImContactDel: 1203,
  OpenImRoomContactChange: 1204,
  SyncMsgFailed: 2006,
  /**
   * wxgate's own (not the vendor's; 9000 and up are wxgate's): the real result of a send that the instance's send
   * pacing queued (docs/pacing.md), `{ queue_id, path, ok, result | error }`.
   */
  PacedSendResult: 9001,
} as const;

export type NotifyTypeName = keyof typeof NOTIFY_TYPES;
export type NotifyType = (typeof NOTIFY_TYPES)[NotifyTypeName];

export const MSG_TYPES = {
  Text: 1,
  Image: 3,
  Voice: 34,
  FriendRequest: 37,
  Card: 42,
  Video: 43,
  Emoji: 47,
  Location: 48,
  App: 49,
  ChangeTalker: 51,
  System: 10000,
  SysMsg: 10002,
} as const;
