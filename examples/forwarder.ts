// A forwarder: every message of one room (WXGATE_ROOM) is POSTed as JSON to a webhook URL (FORWARD_URL).
import { WxgateBot, WxgateClient } from '@wxgate/sdk';

const env = (name: string): string => process.env[name] || (console.error(`set ${name}`), process.exit(2));
const client = new WxgateClient({ baseUrl: env('WXGATE_URL'), appKey: env('WXGATE_APP_KEY'), appSecret: env('WXGATE_APP_SECRET') });
const bot = new WxgateBot({ client, guid: env('WXGATE_GUID'), consumer: 'forwarder' });
const room = env('WXGATE_ROOM');
const target = env('FORWARD_URL');

bot.on('message', async (m) => {
  if (m.room() !== room) return;
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ room, talker: m.talker(), kind: m.content.kind, text: m.text(), msg_id: m.id, create_time: m.raw.create_time }),
  });
  // A failed POST throws: the bot retries the message with backoff before giving up on it.
  if (!response.ok) throw new Error(`${target} answered HTTP ${response.status}`);
});

await bot.start();
console.log(`forwarder ready on ${bot.guid}, room ${room} → ${target}`);
process.once('SIGINT', () => void bot.stop().then(() => process.exit(0)));
process.once('SIGTERM', () => void bot.stop().then(() => process.exit(0)));
