// `wxgate instance create|list|status`: the app's instances (/client/create_client, all_clients, get_client_status).
import type { Command } from 'commander';
import type { RequestOf } from '@wxgate/sdk';
import { action } from '../context.ts';
import { emit, usage } from '../output.ts';

const STATUS = ['stopped', 'running (not logged in)', 'online'];

export function registerInstance(program: Command): void {
  const instance = program.command('instance').description('instances (one WeChat account each), named by guid');

  instance
    .command('create')
    .description('create an instance and print its guid (started unless --no-start)')
    .option('--no-start', 'create it stopped (start later with /client/restore_client)')
    .option('--proxy <url>', 'proxy URL (http://, socks4://, socks5://user:pass@host:port)')
    .option('--client-type <n>', 'device/client type (server default 241)')
    .action(action(async (ctx) => {
      const body: RequestOf<'/client/create_client'> = { auto_start: ctx.opts.start !== false };
      if (ctx.opts.proxy) body.proxy = String(ctx.opts.proxy);
      if (ctx.opts.clientType !== undefined) {
        const n = String(ctx.opts.clientType);
        if (!/^\d+$/.test(n)) throw usage(`--client-type must be a whole number, not ${JSON.stringify(n)}`);
        body.client_type = Number(n);
      }
      const created = await ctx.appClient().call('/client/create_client', body);
      // The bare guid, so `GUID=$(wxgate instance create)` works.
      emit(ctx.json, created, () => created.guid);
    }));

  instance
    .command('list')
    .description('list this app\'s instances, oldest first (one guid a line)')
    .action(action(async (ctx) => {
      const guids = await ctx.appClient().call('/client/all_clients', {});
      emit(ctx.json, guids, () => guids.join('\n'));
    }));

  instance
    .command('status <guid>')
    .description('running state, logged-in account, callback URL and rate-limit use of an instance')
    .action(action(async (ctx, guid: string) => {
      const s = await ctx.appClient().call('/client/get_client_status', { guid });
      emit(ctx.json, s, () => {
        const lines = [`status:     ${s.status} ${STATUS[s.status] ?? ''}`.trimEnd()];
        lines.push(`account:    ${s.login_wxid || '(none logged in)'}`);
        if (s.notify_url) lines.push(`notify_url: ${s.notify_url}`);
        if (s.proxy) lines.push(`proxy:      ${s.proxy}`);
        const r = s.rate_limit;
        if (r) {
          const lock = r.locked ? `, LOCKED until ${r.unlock_time ? new Date(r.unlock_time * 1000).toISOString() : '?'}` : '';
          lines.push(`rate limit: ${r.used}/${r.limit} calls in ${r.window_seconds}s${lock}`);
        }
        return lines.join('\n');
      });
    }));
}
