// Connection settings (flags, then the server's own environment, then its credentials.json) and the SDK client built from them.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { WxgateClient } from '@wxgate/sdk';
import { m } from './i18n/index.ts';
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
  /** Where each half of the credentials came from (a flag, a variable, the config file), to name it when the other is missing. */
  appKeyFrom?: string;
  appSecretFrom?: string;
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
    throw usage(m.errors.configUnreadable(env.WXGATE_CONFIG, (err as Error).message));
  }
}

function readCredentials(file: string): { app_key?: string; app_secret?: string } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { app_key?: string; app_secret?: string };
  } catch {
    return {};
  }
}

/** The first value given, with where it came from. */
function firstOf(...candidates: Array<[string | undefined, string]>): [string | undefined, string | undefined] {
  const found = candidates.find(([value]) => value);
  return found ? [found[0], found[1]] : [undefined, undefined];
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
    throw usage(m.errors.notHttpUrl(JSON.stringify(baseUrl)));
  }
  let [appKey, appKeyFrom] = firstOf([opts.appKey, '--app-key'], [str(env.WXGATE_APP_KEY), 'WXGATE_APP_KEY'], [str(file.appKey), 'appKey (WXGATE_CONFIG)']);
  let [appSecret, appSecretFrom] = firstOf([opts.appSecret, '--app-secret'], [str(env.WXGATE_APP_SECRET), 'WXGATE_APP_SECRET'], [str(file.appSecret), 'appSecret (WXGATE_CONFIG)']);
  if (!appKey && !appSecret) {
    const saved = readCredentials(credentialsFile);
    appKey = str(saved.app_key);
    appSecret = str(saved.app_secret);
    appKeyFrom = appSecretFrom = credentialsFile;
  }
  const adminToken = opts.adminToken ?? str(env.WXGATE_ADMIN_TOKEN) ?? str(file.adminToken);
  return { baseUrl, appKey, appSecret, appKeyFrom, appSecretFrom, adminToken, dataDir, credentialsFile };
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
    // One half given and not the other: say which is missing (credentials.json is not consulted then, see resolveSettings).
    if (s.appKey && !s.appSecret) throw usage(m.errors.halfCredentials(s.appKeyFrom ?? '--app-key', '--app-secret / WXGATE_APP_SECRET'), [m.errors.halfCredentialsHint]);
    if (!s.appKey && s.appSecret) throw usage(m.errors.halfCredentials(s.appSecretFrom ?? '--app-secret', '--app-key / WXGATE_APP_KEY'), [m.errors.halfCredentialsHint]);
    if (!s.appKey || !s.appSecret) {
      throw usage(m.errors.noCredentials, [m.errors.noCredentialsFlags, m.errors.noCredentialsFile(s.credentialsFile)]);
    }
    return new WxgateClient({ baseUrl: s.baseUrl, appKey: s.appKey, appSecret: s.appSecret, transport: this.opts.gateway ? 'gateway' : 'direct' });
  }

  /** A client for /admin/*: the deployment's admin token. */
  adminClient(): WxgateClient {
    const s = this.settings;
    if (!s.adminToken) throw usage(m.errors.noAdminToken, [m.errors.noAdminTokenHint]);
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
