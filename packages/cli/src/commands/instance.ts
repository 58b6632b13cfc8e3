// `wxgate instance create|list|status|notify`: the app's instances (/client/create_client, all_clients, get_client_status, set_notify_url).
import type { Command } from 'commander';
import type { RequestOf, ResponseOf, WxgateClient } from '@wxgate/sdk';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { emit, usage } from '../output.ts';
import { table } from '../table.ts';

type Status = ResponseOf<'/client/get_client_status'>;

/** A rate-limit lock matters more than the running state: a locked instance answers nothing else for 30 minutes. */
function stateOf(s: Status): string {
  if (s.rate_limit?.locked) return m.instance.states.locked;
  return [m.instance.states.stopped, m.instance.states.running, m.instance.states.online][s.status] ?? String(s.status);
}

/**
 * Every instance's status, a few requests at a time (a large app should not open hundreds of sockets). Each read counts
 * one call of its instance's 100 a minute, as every /client/* call does; it still answers while the instance is locked.
 */
async function statuses(client: WxgateClient, guids: readonly string[], parallel = 8): Promise<Status[]> {
  const out: Status[] = new Array(guids.length);
  let next = 0;
  const worker = async () => {
    while (next < guids.length) {
      const i = next++;
      out[i] = await client.call('/client/get_client_status', { guid: guids[i]! });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, guids.length) }, worker));
  return out;
}

export function registerInstance(program: Command): void {
  const instance = program.command('instance').description(m.instance.description);

  instance
    .command('create')
    .description(m.instance.createDescription)
    .option('--no-start', m.instance.noStartOption)
    .option('--proxy <url>', m.instance.proxyOption)
    .option('--client-type <n>', m.instance.clientTypeOption)
    .action(action(async (ctx) => {
      const body: RequestOf<'/client/create_client'> = { auto_start: ctx.opts.start !== false };
      if (ctx.opts.proxy) body.proxy = String(ctx.opts.proxy);
      if (ctx.opts.clientType !== undefined) {
        const n = String(ctx.opts.clientType);
        if (!/^\d+$/.test(n)) throw usage(m.instance.badClientType(JSON.stringify(n)));
        body.client_type = Number(n);
      }
      const created = await ctx.appClient().call('/client/create_client', body);
      // The bare guid, so `GUID=$(wxgate instance create)` works.
      emit(ctx.json, created, () => created.guid);
    }));

  instance
    .command('list')
    .description(m.instance.listDescription)
    .action(action(async (ctx) => {
      const client = ctx.appClient();
      const guids = await client.call('/client/all_clients', {});
      // --json stays the list of guids scripts already read; the table is for people.
      if (ctx.json) return emit(true, guids, () => '');
      if (guids.length === 0) return emit(false, guids, () => m.instance.none);
      const all = await statuses(client, guids);
      const c = m.instance.columns;
      emit(false, guids, () => table([c.guid, c.state, c.account], all.map((s, i) => [guids[i]!, stateOf(s), s.login_wxid || m.instance.noAccount])));
    }));

  instance
    .command('status <guid>')
    .description(m.instance.statusDescription)
    .action(action(async (ctx, guid: string) => {
      const s = await ctx.appClient().call('/client/get_client_status', { guid });
      emit(ctx.json, s, () => {
        const lines = [m.instance.statusLine(s.status, m.instance.statusNames[s.status] ?? '')];
        lines.push(m.instance.accountLine(s.login_wxid || m.instance.noneLoggedIn));
        if (s.notify_url) lines.push(m.instance.notifyLine(s.notify_url));
        if (s.proxy) lines.push(m.instance.proxyLine(s.proxy));
        const r = s.rate_limit;
        if (r) {
          lines.push(r.locked
            ? m.instance.rateLockedLine(r.used, r.limit, r.window_seconds, r.unlock_time ? new Date(r.unlock_time * 1000).toISOString() : '?')
            : m.instance.rateLine(r.used, r.limit, r.window_seconds));
        }
        return lines.join('\n');
      });
    }));

  instance
    .command('notify <guid> <url>')
    .description(m.instance.notifyDescription)
    .action(action(async (ctx, guid: string, url: string) => {
      const client = ctx.appClient();
      await client.call('/client/set_notify_url', { guid, notify_url: url });
      // Read back, so what is printed is what the server keeps, not what was typed.
      const kept = (await client.call('/client/get_client_status', { guid })).notify_url ?? '';
      emit(ctx.json, { guid, notify_url: kept }, () => (kept ? m.instance.notifySet(guid, kept) : m.instance.notifyCleared(guid)));
    }));
}
