// `wxgate login <guid>`: the login QR in the terminal, then polls until the phone confirms, cancels or the code expires.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import ora from 'ora';
import QRCode from 'qrcode';
import type { WxgateClient } from '@wxgate/sdk';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { CliError, EXIT, emit, usage } from '../output.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ticket verify_login_url needs is the `ticket` query parameter of auth_url. */
function ticketOf(authUrl: string): string | undefined {
  try {
    return new URL(authUrl).searchParams.get('ticket') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Asks for the code the phone shows, only when someone is at the terminal to type it. */
async function askPin(): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(m.login.askPin)).trim() || undefined;
  } finally {
    rl.close();
  }
}

export function registerLogin(program: Command): void {
  program
    .command('login <guid>')
    .description(m.login.description)
    .option('--interval <seconds>', m.login.intervalOption, '2')
    .action(action(async (ctx, guid: string) => {
      const interval = Number(ctx.opts.interval);
      if (!Number.isFinite(interval) || interval < 1) throw usage(m.login.badInterval(JSON.stringify(ctx.opts.interval)));
      const client = ctx.appClient();
      const qr = await client.call('/login/get_login_qrcode', { guid });
      const expiresAt = qr.expired_time ?? (qr.expire_seconds ? Math.floor(Date.now() / 1000) + qr.expire_seconds : undefined);
      if (ctx.json) {
        emit(true, { event: 'qrcode', guid, qrcode_content: qr.qrcode_content, uuid: qr.uuid, expired_time: expiresAt }, () => '');
      } else {
        process.stdout.write(await QRCode.toString(qr.qrcode_content, { type: 'terminal', small: true }));
        process.stdout.write(`${m.login.scanWith(qr.qrcode_content)}\n`);
      }
      return waitForLogin(client, guid, interval * 1000, ctx.json, expiresAt);
    }));
}

async function waitForLogin(client: WxgateClient, guid: string, intervalMs: number, json: boolean, expiresAt?: number): Promise<number> {
  const spinner = ora({ text: m.login.waiting, stream: process.stderr, isSilent: json, discardStdin: false }).start();
  const interrupted = () => {
    spinner.stop();
    process.stderr.write(`${m.errors.prefix(m.login.interrupted)}\n`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  let last = -1;
  let verificationAsked = false;
  try {
    for (;;) {
      const s = await client.call('/login/check_login_qrcode', { guid });
      if (json && s.status !== last && (s.status === 0 || s.status === 1)) emit(true, { event: 'status', guid, ...s }, () => '');
      last = s.status;
      if (s.status === 2) {
        // The outcome goes to stdout (the spinner lives on stderr), so it survives redirection.
        spinner.stop();
        emit(json, { event: 'confirmed', guid, ...s }, () => (s.nick_name ? m.login.confirmedNamed(s.wxid ?? '?', s.nick_name) : m.login.confirmed(s.wxid ?? '?')));
        return EXIT.ok;
      }
      if (s.status === 4) {
        const expired = (s.expired_time ?? expiresAt ?? Infinity) <= Math.floor(Date.now() / 1000);
        const what = expired ? 'expired' : 'cancelled';
        spinner.stop();
        throw new CliError(EXIT.api, expired ? m.login.expired(guid) : m.login.cancelled(guid), [], { status: s.status, outcome: what });
      }
      if (s.status === 1 && s.auth_url && !verificationAsked) {
        verificationAsked = true;
        const ticket = ticketOf(s.auth_url) ?? '<ticket from auth_url>';
        spinner.warn(m.login.verification);
        const pin = json ? undefined : await askPin();
        if (pin) {
          await client.call('/login/verify_login_url', { guid, ticket, pin });
        } else {
          process.stderr.write(`  ${m.login.submitPin}\n  wxgate call /login/verify_login_url --data '${JSON.stringify({ guid, ticket, pin: '<code>' })}'\n`);
        }
        spinner.start(m.login.waitingVerification);
      } else if (s.status === 1 && !s.auth_url) {
        spinner.text = s.nick_name ? m.login.scannedBy(s.nick_name) : m.login.scanned;
      } else if (s.status === 0) {
        const left = expiresAt ? Math.max(0, expiresAt - Math.floor(Date.now() / 1000)) : undefined;
        spinner.text = left !== undefined ? m.login.waitingExpires(left) : m.login.waiting;
      }
      await sleep(intervalMs);
    }
  } finally {
    process.off('SIGINT', interrupted);
    if (spinner.isSpinning) spinner.stop();
  }
}
