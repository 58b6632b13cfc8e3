// `wxgate send <guid> <to> [text]`: a text (/msg/send_text), a voice (/msg/send_voice) or a link card (/msg/send_link_card).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { action } from '../context.ts';
import { emit, usage } from '../output.ts';

/** A URL as given; a local file as base64 content (the endpoints take both). */
function urlOrFile(value: string): string {
  if (/^(https?|data):/i.test(value)) return value;
  try {
    return readFileSync(value).toString('base64');
  } catch (err) {
    throw usage(`cannot read ${value}: ${(err as Error).message}`);
  }
}

export function registerSend(program: Command): void {
  program
    .command('send <guid> <to> [text]')
    .description('send from an instance to a wxid, a room id (…@chatroom) or filehelper: a text, or a voice or link card by option')
    .option('--voice <file|url>', 'send a voice message from SILK, WAV, MP3 or AMR audio (a file or an http(s) URL); at most 60 s')
    .option('--link <url>', 'send a link card to this URL (with --title and --image)')
    .option('--title <title>', 'the link card\'s title')
    .option('--desc <text>', 'the link card\'s description')
    .option('--image <file|url>', 'the link card\'s thumbnail (a file or an http(s) URL)')
    .action(action(async (ctx, guid: string, to: string, text?: string) => {
      const options = ctx.opts as { voice?: string; link?: string; title?: string; desc?: string; image?: string };
      const client = ctx.appClient();
      const chosen = [text !== undefined, options.voice !== undefined, options.link !== undefined].filter(Boolean).length;
      if (chosen !== 1) throw usage('give exactly one of: a text, --voice <file|url>, --link <url>');
      if (options.voice !== undefined) {
        const answer = await client.call('/msg/send_voice', { guid, to_username: to, url: urlOrFile(options.voice) });
        emit(ctx.json, answer, () => `voice of ${(answer.voiceLength / 1000).toFixed(1)} s sent to ${to} (msg id ${answer.newMsgId})`);
        return;
      }
      if (options.link !== undefined) {
        if (!options.title || !options.image) throw usage('--link needs --title <title> and --image <file|url>');
        const answer = await client.call('/msg/send_link_card', {
          guid, to_username: to, title: options.title, desc: options.desc ?? '', url: options.link, image_url: urlOrFile(options.image),
        });
        const sent = answer.list?.[0];
        emit(ctx.json, answer, () => `link card sent to ${to}${sent?.newMsgId !== undefined ? ` (msg id ${sent.newMsgId})` : ''}`);
        return;
      }
      const answer = await client.call('/msg/send_text', { guid, to_username: to, content: text! });
      const sent = answer.list[0];
      emit(ctx.json, answer, () => `sent to ${to}${sent?.newMsgId !== undefined ? ` (msg id ${sent.newMsgId})` : ''}`);
    }));
}
