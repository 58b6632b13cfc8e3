// The wxgate command line: global connection options, the commands, and the mapping of every failure to an exit code.
import { Command, CommanderError } from 'commander';
import { resolveSettings } from './context.ts';
import { m } from './i18n/index.ts';
import { localizeCommander } from './i18n/commander-texts.ts';
import { EXIT, report } from './output.ts';
import { registerApp } from './commands/app.ts';
import { registerCall } from './commands/call.ts';
import { registerEvents } from './commands/events.ts';
import { registerInstance } from './commands/instance.ts';
import { registerLogin } from './commands/login.ts';
import { registerMcp } from './commands/mcp.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerSend } from './commands/send.ts';
import { registerStart } from './commands/start.ts';

// Help, descriptions and messages follow LANG / LC_ALL / LC_MESSAGES (src/i18n); --json documents keep their fields.
const program = localizeCommander(new Command('wxgate'), m.help)
  .description(m.program.description)
  .version('0.1.0', '-V, --version', m.help.versionOption)
  .option('--url <url>', m.program.url)
  .option('--app-key <key>', m.program.appKey)
  .option('--app-secret <secret>', m.program.appSecret)
  .option('--admin-token <token>', m.program.adminToken)
  .option('--data-dir <dir>', m.program.dataDir)
  .option('--gateway', m.program.gateway)
  .option('--json', m.program.json)
  // Commander exits 1 on its own usage errors; the CLI's contract says 2, so it throws and main decides.
  .exitOverride()
  .addHelpText('after', `\n${m.program.exitCodes}`);

registerStart(program);
registerApp(program);
registerInstance(program);
registerLogin(program);
registerSend(program);
registerEvents(program);
registerCall(program);
registerMcp(program, '0.1.0');
registerMigrate(program);

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
