// `wxgate send <guid> <to> <text>`: a text message through /msg/send_text.
import type { Command } from 'commander';
import { action } from '../context.ts';
import { emit } from '../output.ts';

export function registerSend(program: Command): void {
  program
    .command('send <guid> <to> <text>')
    .description('send a text message from an instance to a wxid, a room id (…@chatroom) or filehelper')
    .action(action(async (ctx, guid: string, to: string, text: string) => {
      const answer = await ctx.appClient().call('/msg/send_text', { guid, to_username: to, content: text });
      const sent = answer.list[0];
      emit(ctx.json, answer, () => `sent to ${to}${sent?.newMsgId !== undefined ? ` (msg id ${sent.newMsgId})` : ''}`);
    }));
}
