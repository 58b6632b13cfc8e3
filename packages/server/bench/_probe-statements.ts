// throwaway: prints the SQL statements one send_text costs on PostgreSQL (not committed)
import pg from 'pg';
import { startHarness } from '../test/harness.ts';
import { loggedIn, ok } from '../test/sandbox-helpers.ts';
const texts: string[] = [];
const orig = pg.Client.prototype.query;
let on = false;
(pg.Client.prototype as any).query = function (this: unknown, ...args: any[]) {
  if (on) texts.push(typeof args[0] === 'string' ? args[0] : args[0]?.text ?? args[0]?.name);
  return (orig as any).apply(this, args);
};
const h = await startHarness({ rateLimit: { maxCalls: 1e9, windowSeconds: 60, lockSeconds: 1 } } as any);
const a = await loggedIn(h, { nickname: 'A' });
const b = await loggedIn(h, { nickname: 'B' });
await ok(h.direct('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid }));
await ok(h.direct('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid }));
await ok(h.direct('/client/set_notify_url', { guid: b.guid, notify_url: 'http://127.0.0.1:9/hook' }));
for (let i = 0; i < 3; i++) await ok(h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'warm' }));
await new Promise((r) => setTimeout(r, 500));
on = true;
await ok(h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'count me' }));
on = false;
console.log(texts.length + ' statements');
for (const t of texts) console.log('---', String(t).replace(/\s+/g, ' ').slice(0, 300));
await h.close();
