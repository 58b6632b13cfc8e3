// Friend requests as Wechaty's friendships: the request's fields are the XML attributes of its 37 message.
import { parseXml, type RawMessage } from './payloads.ts';

/** The friend request a 37 message carries in its XML attributes. */
export interface RawFriendship {
  readonly id: string;
  readonly contactId: string;
  readonly hello: string;
  readonly ticket: string;
  readonly stranger: string;
  readonly scene: number;
  readonly timestamp: number;
}

/** The request of message `id`; throws when it is not one. */
export function friendshipOf(id: string, message: RawMessage | undefined): RawFriendship {
  const attrs = parseXml(message?.content ?? '')?.msg;
  if (!message || !attrs) throw new Error(`wxgate: no friend request ${id}`);
  return {
    id, contactId: String(attrs.fromusername ?? ''), hello: String(attrs.content ?? ''), ticket: String(attrs.ticket ?? ''),
    stranger: String(attrs.encryptusername ?? ''), scene: Number(attrs.scene ?? 0), timestamp: message.create_time * 1000,
  };
}
