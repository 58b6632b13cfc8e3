// The account's contact list as WeChat pages it: every username of /contact/init_contact, friends and saved rooms.
import type { WxgateInstancePort as Port } from './instance-port.ts';

/** Every username of init_contact, paged to the end. */
export async function contactUsernames(port: Port): Promise<string[]> {
  const all: string[] = [];
  let contactSeq = 0;
  let roomSeq = 0;
  for (;;) {
    const page = await port.call('/contact/init_contact', { contact_seq: contactSeq, room_seq: roomSeq }) as
      { contactUsernameList?: string[]; currentWxcontactSeq?: number; currentChatRoomContactSeq?: number; countinueFlag?: number };
    all.push(...(page.contactUsernameList ?? []));
    if (page.countinueFlag !== 1) return all;
    contactSeq = page.currentWxcontactSeq ?? contactSeq;
    roomSeq = page.currentChatRoomContactSeq ?? roomSeq;
  }
}
