// `wxgate app create|list`: apps (tenants) through /admin/*, with the deployment's admin token.
import type { Command } from 'commander';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { emit, usage } from '../output.ts';
import { table } from '../table.ts';

export function registerApp(program: Command): void {
  const app = program.command('app').description(m.app.description);

  app
    .command('create <name>')
    .description(m.app.createDescription)
    .option('--mode <mode>', m.app.modeOption, 'standard')
    .action(action(async (ctx, name: string) => {
      const mode = String(ctx.opts.mode);
      if (mode !== 'standard' && mode !== 'raw') throw usage(m.app.badMode(JSON.stringify(mode)));
      const created = await ctx.adminClient().call('/admin/create_app', { name, mode });
      emit(ctx.json, created, () =>
        [m.app.created(created.name, created.mode), `  app_key:    ${created.app_key}`, `  app_secret: ${created.app_secret}`, m.app.keepSecret].join('\n'));
    }));

  app
    .command('list')
    .description(m.app.listDescription)
    .action(action(async (ctx) => {
      const apps = await ctx.adminClient().call('/admin/list_apps', {});
      const c = m.app.columns;
      emit(ctx.json, apps, () => apps.length === 0 ? m.app.none : table(
        [c.key, c.name, c.mode, c.state, c.instances, c.created],
        apps.map((a) => [a.app_key, a.name, a.mode, a.disabled ? m.app.disabled : m.app.enabled, String(a.instance_count), new Date(a.created_at * 1000).toISOString()]),
      ));
    }));
}
