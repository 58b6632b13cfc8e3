// A customer-service bot: answers keywords in private chats (and when @-mentioned in rooms), a fallback otherwise, and images with a text.
import { WxgateBot, WxgateClient } from '@wxgate/sdk';

const env = (name: string): string => process.env[name] || (console.error(`set ${name}`), process.exit(2));
const client = new WxgateClient({ baseUrl: env('WXGATE_URL'), appKey: env('WXGATE_APP_KEY'), appSecret: env('WXGATE_APP_SECRET') });
const bot = new WxgateBot({ client, guid: env('WXGATE_GUID'), consumer: 'auto-reply' });

const KEYWORDS: Array<[RegExp, string]> = [
  [/价格|多少钱|price/i, '基础版 99 元/月，专业版 299 元/月。Basic 99 CNY/month, Pro 299 CNY/month.'],
  [/营业时间|几点|hours/i, '客服在线时间：每天 9:00–21:00。We answer 9:00–21:00 every day.'],
  [/人工|客服|human/i, '已为您转接人工客服，请稍候。A colleague will answer shortly.'],
];
const FALLBACK = '您好，我是自动客服。请回复「价格」「营业时间」或「人工」。Hi! Reply "price", "hours" or "human".';

bot.on('message', async (m) => {
  if (m.self() || (m.room() !== null && !m.mentionsMe())) return;
  if (m.content.kind === 'image') return m.reply('图片已收到，客服会尽快查看。We got your picture and will look at it soon.');
  if (m.content.kind !== 'text') return;
  const answer = KEYWORDS.find(([pattern]) => pattern.test(m.text()))?.[1] ?? FALLBACK;
  await m.reply(answer);
});

await bot.start();
console.log(`auto-reply ready on ${bot.guid}`);
process.once('SIGINT', () => void bot.stop().then(() => process.exit(0)));
process.once('SIGTERM', () => void bot.stop().then(() => process.exit(0)));
