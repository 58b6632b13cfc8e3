// Connection settings (flags, then the server's own environment, then its credentials.json) and the SDK client built from them.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { WxgateClient } from '@wxgate/sdk';
import { usage } from './output.ts';

export interface GlobalOptions {
  url?: string;
  appKey?: string;
  appSecret?: string;
  adminToken?: string;
  dataDir?: string;
  json?: boolean;
  gateway?: boolean;
}

export interface Settings {
  baseUrl: string;
  appKey?: string;
  appSecret?: string;
  adminToken?: string;
  /** Where `wxgate start` keeps its database and credentials.json (the server's DATA_DIR). */
  dataDir: string;
  credentialsFile: string;
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The server's optional JSON config (WXGATE_CONFIG): read so a server started with it is found the same way. */
function serverConfigFile(env: NodeJS.ProcessEnv): Raw {
  if (!env.WXGATE_CONFIG) return {};
  try {
    const parsed = JSON.parse(readFileSync(resolve(env.WXGATE_CONFIG), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Raw) : {};
  } catch (err) {
    throw usage(`WXGATE_CONFIG=${env.WXGATE_CONFIG} cannot be read as JSON: ${(err as Error).message}`);
  }
}

function readCredentials(file: string): { app_key?: string; app_secret?: string } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { app_key?: string; app_secret?: string };
  } catch {
    return {};
  }
}

/**
 * Precedence mirrors the server's (its env wins over its config file), with the CLI's flags and WXGATE_URL on top.
 * credentials.json is only a fallback for a key/secret pair given nowhere else, so a flag never gets paired with a stale secret.
 */
export function resolveSettings(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  const file = serverConfigFile(env);
  const dataDir = resolve(opts.dataDir ?? str(env.DATA_DIR) ?? str(file.dataDir) ?? './data');
  const credentialsFile = join(dataDir, 'credentials.json');
  let host = str(env.HOST) ?? str(file.host) ?? '127.0.0.1';
  // A server listening on every interface is reached on loopback.
  if (host === '0.0.0.0' || host === '::') host = '127.0.0.1';
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  const port = str(env.PORT) ?? (typeof file.port === 'number' ? String(file.port) : '8000');
  const baseUrl = opts.url ?? str(env.WXGATE_URL) ?? `http://${host}:${port}`;
  try {
    const parsed = new URL(baseUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw usage(`--url ${JSON.stringify(baseUrl)} is not an http(s) URL`);
  }
  let appKey = opts.appKey ?? str(env.WXGATE_APP_KEY) ?? str(file.appKey);
  let appSecret = opts.appSecret ?? str(env.WXGATE_APP_SECRET) ?? str(file.appSecret);
  if (!appKey && !appSecret) {
    const saved = readCredentials(credentialsFile);
    appKey = str(saved.app_key);
    appSecret = str(saved.app_secret);
  }
  const adminToken = opts.adminToken ?? str(env.WXGATE_ADMIN_TOKEN) ?? str(file.adminToken);
  return { baseUrl, appKey, appSecret, adminToken, dataDir, credentialsFile };
}

/** What every command action gets: its options merged with the global ones, settings and clients on demand. */
export class Context {
  readonly opts: GlobalOptions & Raw;
  #settings?: Settings;

  constructor(command: Command) {
    this.opts = command.optsWithGlobals<GlobalOptions & Raw>();
  }

  get json(): boolean {
    return this.opts.json === true;
  }

  get settings(): Settings {
    return (this.#settings ??= resolveSettings(this.opts));
  }

  /** A client for app-scoped and instance calls; fails early (exit 2) when no credentials are known. */
  appClient(): WxgateClient {
    const s = this.settings;
    if (!s.appKey || !s.appSecret) {
      throw usage('no app credentials', [
        'pass --app-key and --app-secret, or set WXGATE_APP_KEY and WXGATE_APP_SECRET,',
        `or run where \`wxgate start\` keeps its data (looked for ${s.credentialsFile}; --data-dir / DATA_DIR)`,
      ]);
    }
    return new WxgateClient({ baseUrl: s.baseUrl, appKey: s.appKey, appSecret: s.appSecret, transport: this.opts.gateway ? 'gateway' : 'direct' });
  }

  /** A client for /admin/*: the deployment's admin token. */
  adminClient(): WxgateClient {
    const s = this.settings;
    if (!s.adminToken) throw usage('no admin token', ['pass --admin-token or set WXGATE_ADMIN_TOKEN (the one the server was started with)']);
    return new WxgateClient({ baseUrl: s.baseUrl, adminToken: s.adminToken });
  }
}

/**
 * Adapts a command body to commander's action signature (positional args, options, command);
 * a returned number is the exit code.
 */
export function action<A extends string[]>(fn: (ctx: Context, ...args: A) => Promise<number | void>) {
  return async (...raw: unknown[]): Promise<void> => {
    const command = raw[raw.length - 1] as Command;
    const args = raw.slice(0, -2) as A;
    const code = await fn(new Context(command), ...args);
    if (typeof code === 'number') process.exitCode = code;
  };
}
