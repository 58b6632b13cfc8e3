// `wxgate app create|list`: apps (tenants) through /admin/*, with the deployment's admin token.
import type { Command } from 'commander';
import { action } from '../context.ts';
import { emit, usage } from '../output.ts';

/** Left-aligned columns; plain text so it pastes cleanly. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function registerApp(program: Command): void {
  const app = program.command('app').description('apps (tenants): needs the admin token (--admin-token / WXGATE_ADMIN_TOKEN)');

  app
    .command('create <name>')
    .description('create an app and print its credentials (the secret is shown only once)')
    .option('--mode <mode>', 'response envelope: standard or raw (vendor-exact)', 'standard')
    .action(action(async (ctx, name: string) => {
      const mode = String(ctx.opts.mode);
      if (mode !== 'standard' && mode !== 'raw') throw usage(`--mode must be standard or raw, not ${JSON.stringify(mode)}`);
      const created = await ctx.adminClient().call('/admin/create_app', { name, mode });
      emit(ctx.json, created, () =>
        `created app ${created.name} (${created.mode})\n  app_key:    ${created.app_key}\n  app_secret: ${created.app_secret}\n` +
        'keep the secret: it is not shown again');
    }));

  app
    .command('list')
    .description('list apps (never their secrets)')
    .action(action(async (ctx) => {
      const apps = await ctx.adminClient().call('/admin/list_apps', {});
      emit(ctx.json, apps, () => apps.length === 0 ? 'no apps' : table(
        ['APP_KEY', 'NAME', 'MODE', 'STATE', 'INSTANCES', 'CREATED'],
        apps.map((a) => [a.app_key, a.name, a.mode, a.disabled ? 'disabled' : 'enabled', String(a.instance_count), new Date(a.created_at * 1000).toISOString()]),
      ));
    }));
}
