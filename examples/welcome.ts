// A group welcome bot: greets every new member of a room (or of WXGATE_ROOM only) with an @-mention.
import { WxgateBot, WxgateClient } from '@wxgate/sdk';

const env = (name: string): string => process.env[name] || (console.error(`set ${name}`), process.exit(2));
const client = new WxgateClient({ baseUrl: env('WXGATE_URL'), appKey: env('WXGATE_APP_KEY'), appSecret: env('WXGATE_APP_SECRET') });
const bot = new WxgateBot({ client, guid: env('WXGATE_GUID'), consumer: 'welcome' });
const onlyRoom = process.env.WXGATE_ROOM;

bot.on('room-join', async ({ room, members }) => {
  if (onlyRoom && room !== onlyRoom) return;
  const newcomers = members.filter((wxid) => wxid !== bot.selfWxid);
  if (newcomers.length === 0) return;
  const detail = await client.api.room.get_chatroom_member_detail({ guid: bot.guid, room_username: room });
  const name = (wxid: string) => {
    const member = detail.newChatroomData.chatRoomMember.find((m) => m.userName === wxid);
    return member?.displayName || member?.nickName || wxid;
  };
  const mentions = newcomers.map((wxid) => `@${name(wxid)}`).join(' ');
  await client.api.msg.send_room_at({
    guid: bot.guid, to_username: room, at_list: newcomers,
    content: `${mentions} 欢迎加入！请先看看群公告。Welcome! Please read the room notice first.`,
  });
});

await bot.start();
console.log(`welcome ready on ${bot.guid}`);
process.once('SIGINT', () => void bot.stop().then(() => process.exit(0)));
process.once('SIGTERM', () => void bot.stop().then(() => process.exit(0)));
