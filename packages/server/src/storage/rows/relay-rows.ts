// Relay mappings, mirror entries, room members and archived messages from SQL rows, for every SQL store.
import type { RelayArchivedMessage, RelayEntryKind, RelayMapping, RelayMessage, RelayMirrorEntry, RelayRoomMember } from '../relay-ports.ts';

type Row = Record<string, unknown>;

export const mappingFromRow = (r: Row): RelayMapping => ({
  guid: r.guid as string,
  appId: r.app_id as string,
  upstreamGuid: r.upstream_guid as string,
  notifyToken: r.notify_token as string,
  adopted: r.adopted === 1,
  registeredNotifyUrl: r.registered_notify_url as string,
  createdAt: r.created_at as number,
});

/** Label ids are stored as ",1,3," so a LIKE '%,1,%' finds them without a join table. */
export const labelColumn = (ids: readonly number[]) => (ids.length ? `,${ids.join(',')},` : '');
export const labelsFromColumn = (text: string) => text.split(',').filter(Boolean).map(Number);
/** The LIKE pattern that finds one label id in the column. */
export const labelPattern = (id: number) => `%,${id},%`;

export const entryFromRow = (r: Row): RelayMirrorEntry => ({
  guid: r.guid as string,
  username: r.username as string,
  kind: r.kind as RelayEntryKind,
  data: JSON.parse(r.data as string) as unknown,
  labelIds: labelsFromColumn(r.label_ids as string),
  updatedAt: r.updated_at as number,
});

export const memberFromRow = (r: Row): RelayRoomMember => ({
  guid: r.guid as string,
  room: r.room as string,
  username: r.username as string,
  data: JSON.parse(r.data as string) as unknown,
});

export const messageFromRow = (r: Row): RelayMessage => ({
  guid: r.guid as string,
  msgId: r.msg_id as string,
  direction: r.direction as RelayMessage['direction'],
  fromUsername: r.from_username as string,
  toUsername: r.to_username as string,
  msgType: r.msg_type as number,
  createTime: r.create_time as number,
  data: JSON.parse(r.data as string) as unknown,
});

/** A message row with its seq and a 0/1 `revoked` column. */
export const archivedMessageFromRow = (r: Row): RelayArchivedMessage => ({ ...messageFromRow(r), seq: r.seq as number, revoked: r.revoked === 1 });
