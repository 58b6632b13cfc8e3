// `wxgate start`: the server in the foreground, from its TypeScript sources through tsx (`npm start` runs the same code
// prebuilt into one file), with the same environment.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { usage } from '../output.ts';

/** The server's entry point next to its package export (src/app.ts → src/main.ts). */
function serverMain(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@wxgate/server')), 'main.ts');
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(m.start.description)
    .option('--port <port>', m.start.portOption)
    .option('--host <host>', m.start.hostOption)
    .action(action(async (ctx) => {
      const env = { ...process.env };
      const port = ctx.opts.port as string | undefined;
      if (port !== undefined) {
        if (!/^\d+$/.test(port)) throw usage(m.start.badPort(JSON.stringify(port)));
        env.PORT = port;
      }
      if (ctx.opts.host) env.HOST = String(ctx.opts.host);
      if (ctx.opts.dataDir) env.DATA_DIR = ctx.opts.dataDir;
      if (ctx.opts.adminToken) env.WXGATE_ADMIN_TOKEN = ctx.opts.adminToken;
      // The tsx loader resolved from here, so `start` works from any directory, not only the repository root; the
      // `source` condition makes workspace packages (the SDK, for MCP over HTTP) resolve to their TypeScript sources.
      const child = spawn(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), serverMain()], { stdio: 'inherit', env });
      // A terminal's Ctrl+C reaches both processes; a SIGTERM sent to the CLI alone must reach the server too.
      // The server shuts down gracefully on either, and the CLI exits with its code.
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      process.on('SIGINT', forward('SIGINT'));
      process.on('SIGTERM', forward('SIGTERM'));
      return new Promise<number>((resolve) => {
        child.on('error', (err) => {
          process.stderr.write(`${m.errors.prefix(m.errors.cannotStart(err.message))}\n`);
          resolve(1);
        });
        child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1)));
      });
    }));
}
