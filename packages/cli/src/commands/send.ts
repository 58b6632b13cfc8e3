// `wxgate send <guid> <to> [text]`: a text (/msg/send_text), a voice (/msg/send_voice) or a link card (/msg/send_link_card).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { emit, usage } from '../output.ts';

/** A URL as given; a local file as base64 content (the endpoints take both). */
function urlOrFile(value: string): string {
  if (/^(https?|data):/i.test(value)) return value;
  try {
    return readFileSync(value).toString('base64');
  } catch (err) {
    throw usage(m.send.cannotRead(value, (err as Error).message));
  }
}

export function registerSend(program: Command): void {
  program
    .command('send <guid> <to> [text]')
    .description(m.send.description)
    .option('--voice <file|url>', m.send.voiceOption)
    .option('--link <url>', m.send.linkOption)
    .option('--title <title>', m.send.titleOption)
    .option('--desc <text>', m.send.descOption)
    .option('--image <file|url>', m.send.imageOption)
    .action(action(async (ctx, guid: string, to: string, text?: string) => {
      const options = ctx.opts as { voice?: string; link?: string; title?: string; desc?: string; image?: string };
      const client = ctx.appClient();
      const chosen = [text !== undefined, options.voice !== undefined, options.link !== undefined].filter(Boolean).length;
      if (chosen !== 1) throw usage(m.send.exactlyOne);
      if (options.voice !== undefined) {
        const answer = await client.call('/msg/send_voice', { guid, to_username: to, url: urlOrFile(options.voice) });
        emit(ctx.json, answer, () => m.send.voiceSent((answer.voiceLength / 1000).toFixed(1), to, String(answer.newMsgId)));
        return;
      }
      if (options.link !== undefined) {
        if (!options.title || !options.image) throw usage(m.send.linkNeeds);
        const answer = await client.call('/msg/send_link_card', {
          guid, to_username: to, title: options.title, desc: options.desc ?? '', url: options.link, image_url: urlOrFile(options.image),
        });
        const sent = answer.list?.[0];
        emit(ctx.json, answer, () => (sent?.newMsgId !== undefined ? m.send.linkSentId(to, String(sent.newMsgId)) : m.send.linkSent(to)));
        return;
      }
      const answer = await client.call('/msg/send_text', { guid, to_username: to, content: text! });
      const sent = answer.list[0];
      emit(ctx.json, answer, () => (sent?.newMsgId !== undefined ? m.send.textSentId(to, String(sent.newMsgId)) : m.send.textSent(to)));
    }));
}
