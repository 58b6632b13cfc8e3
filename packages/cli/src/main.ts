// The wxgate command line: global connection options, the commands, and the mapping of every failure to an exit code.
import { Command, CommanderError } from 'commander';
import { resolveSettings } from './context.ts';
import { EXIT, report } from './output.ts';
import { registerApp } from './commands/app.ts';
import { registerCall } from './commands/call.ts';
import { registerEvents } from './commands/events.ts';
import { registerInstance } from './commands/instance.ts';
import { registerLogin } from './commands/login.ts';
import { registerSend } from './commands/send.ts';
import { registerStart } from './commands/start.ts';

const program = new Command('wxgate')
  .description('wxgate: run the server, manage apps and instances, log in, send, tail events, call any endpoint')
  .version('0.1.0')
  .option('--url <url>', 'server base URL (env WXGATE_URL; default http://$HOST:$PORT, i.e. http://127.0.0.1:8000)')
  .option('--app-key <key>', 'app key (env WXGATE_APP_KEY; default from <data dir>/credentials.json)')
  .option('--app-secret <secret>', 'app secret (env WXGATE_APP_SECRET; default from <data dir>/credentials.json)')
  .option('--admin-token <token>', 'admin token for app commands (env WXGATE_ADMIN_TOKEN)')
  .option('--data-dir <dir>', 'the server\'s data directory (env DATA_DIR; default ./data)')
  .option('--gateway', 'send API calls through the vendor gateway (POST /open/GuidRequest) instead of direct paths')
  .option('--json', 'machine-readable output: JSON on stdout, JSON errors on stderr')
  // Commander exits 1 on its own usage errors; the CLI's contract says 2, so it throws and main decides.
  .exitOverride()
  .showHelpAfterError('(add --help for usage)')
  .addHelpText('after', '\nExit codes: 0 ok, 1 API error (or login not confirmed), 2 usage error, 3 cannot reach the server.\nDocs: docs/cli.md');

registerStart(program);
registerApp(program);
registerInstance(program);
registerLogin(program);
registerSend(program);
registerEvents(program);
registerCall(program);

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const opts = program.opts<{ json?: boolean }>();
    let baseUrl: string | undefined;
    try {
      baseUrl = resolveSettings(opts).baseUrl;
    } catch {
      baseUrl = undefined;
    }
    return report(err, opts.json === true, baseUrl);
  }
}

// Exit explicitly: idle keep-alive sockets and stream readers must not hold a finished command open.
process.exit(await main());
