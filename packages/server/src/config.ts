// The one configuration schema: defaults, environment variables and an optional JSON file, validated before start.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import ipaddr from 'ipaddr.js';

export const ConfigSchema = Type.Object({
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8000 }),
  dataDir: Type.String({ minLength: 1, default: './data' }),
  /** PostgreSQL instead of the embedded SQLite file in dataDir: postgres://user:password@host:port/database (docs/postgres.md). */
  databaseUrl: Type.Optional(Type.String({ minLength: 1 })),
  /** The schema (namespace) of wxgate's tables in that database; created when missing. */
  databaseSchema: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'wxgate' }),
  /** Connections this process keeps to PostgreSQL. */
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  /** Redis that the nodes of a cluster coordinate through: redis://[:password@]host:port[/db] (docs/cluster.md). */
  redisUrl: Type.Optional(Type.String({ minLength: 1 })),
  driver: Type.Union([Type.Literal('sandbox'), Type.Literal('relay'), Type.Literal('ilink')], { default: 'sandbox' }),
  /** The base URL wxgate is reachable at from outside (the relay's upstream calls back on it). */
  publicUrl: Type.Optional(Type.String({ minLength: 1 })),
  /** The relay driver's upstream provider (driver = relay); see docs/relay.md. */
  relay: Type.Object({
    baseUrl: Type.Optional(Type.String({ minLength: 1 })),
    mode: Type.Union([Type.Literal('gateway'), Type.Literal('direct')], { default: 'gateway' }),
    appKey: Type.Optional(Type.String({ minLength: 1 })),
    appSecret: Type.Optional(Type.String({ minLength: 1 })),
    /** Budget for one upstream call, retries included. */
    timeoutMs: Type.Integer({ minimum: 100, default: 15_000 }),
    /** The upstream's private-CDN server, for the no-guid /cloud/* calls; default: baseUrl. */
    cdnUrl: Type.Optional(Type.String({ minLength: 1 })),
    /** Per-tenant upstream overrides keyed by our app_key (config file only): another account, URL or mode. */
    tenants: Type.Record(Type.String(), Type.Object({
      baseUrl: Type.Optional(Type.String({ minLength: 1 })),
      mode: Type.Optional(Type.Union([Type.Literal('gateway'), Type.Literal('direct')])),
      appKey: Type.Optional(Type.String({ minLength: 1 })),
      appSecret: Type.Optional(Type.String({ minLength: 1 })),
      timeoutMs: Type.Optional(Type.Integer({ minimum: 100 })),
      cdnUrl: Type.Optional(Type.String({ minLength: 1 })),
    }, { additionalProperties: false }), { default: {} }),
  }, { default: {}, additionalProperties: false }),
  /** The ilink driver's iLink server (driver = ilink); see docs/ilink.md, "The ilink driver". */
  ilink: Type.Object({
    baseUrl: Type.String({ minLength: 1, default: 'https://ilinkai.weixin.qq.com' }),
    /** Budget of an ordinary iLink call (QR code, send); long polls get the server's hold plus 10 s. */
    timeoutMs: Type.Integer({ minimum: 100, default: 15_000 }),
    /** The iLink CDN, for media items that carry no full URL (Tencent's: the plugin's CDN_BASE_URL). */
    cdnUrl: Type.String({ minLength: 1, default: 'https://novac2c.cdn.weixin.qq.com/c2c' }),
  }, { default: {}, additionalProperties: false }),
  appKey: Type.Optional(Type.String({ minLength: 10 })),
  appSecret: Type.Optional(Type.String({ minLength: 20 })),
  adminToken: Type.Optional(Type.String({ minLength: 16 })),
  rateLimit: Type.Object({
    maxCalls: Type.Integer({ minimum: 1, default: 100 }),
    windowSeconds: Type.Integer({ minimum: 1, default: 60 }),
    lockSeconds: Type.Integer({ minimum: 1, default: 1800 }),
  }, { default: {} }),
  bodyLimitBytes: Type.Integer({ minimum: 1024, default: 20 * 1024 * 1024 }),
  webhook: Type.Object({
    timeoutMs: Type.Integer({ minimum: 100, default: 15_000 }),
    /** Delay before each attempt, in seconds: the first is immediate; after the last failure the event is failed. */
    retrySchedule: Type.Array(Type.Number({ minimum: 0 }), { minItems: 1, default: [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000] }),
    /** Webhook requests in flight at once, over all instances (each instance has at most one). */
    maxInFlight: Type.Integer({ minimum: 1, default: 64 }),
  }, { default: {} }),
  media: Type.Object({
    /** Largest media object stored (plaintext bytes); larger uploads are refused and nothing is kept. */
    maxObjectBytes: Type.Integer({ minimum: 1024, default: 100 * 1024 * 1024 }),
    /** Time allowed to fetch an upload URL, in ms. */
    fetchTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
    /** How long download links (url of the /cloud/*download* answers) work, in seconds. */
    linkTtlSeconds: Type.Integer({ minimum: 1, default: 3 * 3600 }),
    /** Where the objects' bytes live: files in dataDir/media, or PostgreSQL (databaseUrl), which every node of a cluster reads. */
    store: Type.Union([Type.Literal('local'), Type.Literal('postgres')], { default: 'local' }),
  }, { default: {} }),
  /** Speech-to-text for voice transcription (/msg/*_voice_trans, /other/voice_trans*); see docs/voice.md. */
  stt: Type.Object({
    /** pocketsphinx (offline, English only), command (your own program, e.g. a Mandarin model) or none (503). */
    engine: Type.Union([Type.Literal('pocketsphinx'), Type.Literal('command'), Type.Literal('none')], { default: 'pocketsphinx' }),
    /** The command engine's program and arguments; {wav} becomes the path of a 16 kHz mono 16-bit WAV. No shell. */
    command: Type.Optional(Type.String({ minLength: 1 })),
    /** Languages the engine understands (BCP 47), shown in docs and logs; pocketsphinx's default model is en-US. */
    languages: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    /** The pocketsphinx program (a path, or a name looked up on PATH). */
    pocketsphinxPath: Type.String({ minLength: 1, default: 'pocketsphinx_continuous' }),
    /** Time one transcription may take, in ms; the engine is killed after it. */
    timeoutMs: Type.Integer({ minimum: 100, default: 60_000 }),
  }, { default: {}, additionalProperties: false }),
  /**
   * The key that encrypts secrets at rest (proxy URLs, webhook signing secrets, server secrets): 32 bytes as 64 hex
   * digits or base64. Unset: a key file generated in dataDir on first start (secret.key, mode 0600).
   */
  secretKey: Type.Optional(Type.String({ minLength: 1 })),
  /** The key secrets were sealed with before a rotation: opened with it at start and sealed again with secretKey. */
  secretKeyPrevious: Type.Optional(Type.String({ minLength: 1 })),
  /** Hosts or CIDRs that notify_url (and media URLs) may reach although private; for development and tests. */
  allowPrivateUrls: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  /**
   * Loopback notify and media URLs (127.0.0.0/8, ::1, localhost): `auto` allows them while the server listens on
   * loopback only — nobody else can call it then, and a newcomer's first receiver is http://127.0.0.1:3000/….
   */
  allowLoopbackUrls: Type.Union([Type.Literal('auto'), Type.Boolean()], { default: 'auto' }),
  eventRetentionDays: Type.Number({ exclusiveMinimum: 0, default: 7 }),
  /** After a signing-secret rotation the old secret keeps signing (alongside the new one) this long. */
  signingSecretGraceSeconds: Type.Integer({ minimum: 0, default: 86_400 }),
  allowUnauthenticatedDirect: Type.Boolean({ default: false }),
  /**
   * The response mode of new apps and of failures answered before an app is known: raw is the vendor's wire
   * (business failures HTTP 200), standard is wxgate's envelope with precise statuses; see docs/errors.md.
   */
  responseMode: Type.Union([Type.Literal('raw'), Type.Literal('standard')], { default: 'raw' }),
  /**
   * The language of failure texts (errmsg/err_msg/msg, standard mode's message) when the caller's Accept-Language names
   * neither Chinese nor English: vendor clients show errmsg to the people running them, mostly Chinese.
   */
  language: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' }),
  /** The private-CDN paths (/cloud/*) accept an instance guid alone as the credential, as the vendor's deployment does. */
  cdnGuidAccess: Type.Boolean({ default: true }),
  /** Sandbox: enforce WeChat's new-device advice (no Moments, mass sending or friend adds in a device's first 3 days). */
  newDeviceRiskControl: Type.Boolean({ default: false }),
  /** The Wechaty bridge's gRPC port (wechaty-puppet-service, docs/wechaty.md), on HOST; unset = no bridge. 0 = any free port. */
  wechatyPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise (a file, a pipe, a log collector). */
  logFormat: Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('pretty')], { default: 'auto' }),
  shutdownTimeoutMs: Type.Integer({ minimum: 0, default: 10_000 }),
}, { additionalProperties: false });

export type Config = Static<typeof ConfigSchema>;

/** Environment variable → config path; the README's configuration table lists the same names. */
export const ENV_VARS = {
  HOST: 'host',
  PORT: 'port',
  DATA_DIR: 'dataDir',
  WXGATE_DATABASE_URL: 'databaseUrl',
  WXGATE_DATABASE_SCHEMA: 'databaseSchema',
  WXGATE_DATABASE_POOL_SIZE: 'databasePoolSize',
  WXGATE_REDIS_URL: 'redisUrl',
  WXGATE_DRIVER: 'driver',
  WXGATE_PUBLIC_URL: 'publicUrl',
  WXGATE_RELAY_BASE_URL: 'relay.baseUrl',
  WXGATE_RELAY_MODE: 'relay.mode',
  WXGATE_RELAY_APP_KEY: 'relay.appKey',
  WXGATE_RELAY_APP_SECRET: 'relay.appSecret',
  WXGATE_RELAY_TIMEOUT_MS: 'relay.timeoutMs',
  WXGATE_RELAY_CDN_URL: 'relay.cdnUrl',
  WXGATE_ILINK_BASE_URL: 'ilink.baseUrl',
  WXGATE_ILINK_TIMEOUT_MS: 'ilink.timeoutMs',
  WXGATE_ILINK_CDN_URL: 'ilink.cdnUrl',
  WXGATE_APP_KEY: 'appKey',
  WXGATE_APP_SECRET: 'appSecret',
  WXGATE_ADMIN_TOKEN: 'adminToken',
  WXGATE_RATE_LIMIT_MAX_CALLS: 'rateLimit.maxCalls',
  WXGATE_RATE_LIMIT_WINDOW_SECONDS: 'rateLimit.windowSeconds',
  WXGATE_RATE_LIMIT_LOCK_SECONDS: 'rateLimit.lockSeconds',
  WXGATE_BODY_LIMIT: 'bodyLimitBytes',
  WXGATE_WEBHOOK_TIMEOUT_MS: 'webhook.timeoutMs',
  WXGATE_WEBHOOK_RETRY_SCHEDULE: 'webhook.retrySchedule',
  WXGATE_WEBHOOK_MAX_IN_FLIGHT: 'webhook.maxInFlight',
  WXGATE_ALLOW_PRIVATE_URLS: 'allowPrivateUrls',
  WXGATE_ALLOW_LOOPBACK_URLS: 'allowLoopbackUrls',
  WXGATE_SECRET_KEY: 'secretKey',
  WXGATE_SECRET_KEY_PREVIOUS: 'secretKeyPrevious',
  WXGATE_MEDIA_MAX_BYTES: 'media.maxObjectBytes',
  WXGATE_MEDIA_FETCH_TIMEOUT_MS: 'media.fetchTimeoutMs',
  WXGATE_MEDIA_LINK_TTL_SECONDS: 'media.linkTtlSeconds',
  WXGATE_MEDIA_STORE: 'media.store',
  WXGATE_STT_ENGINE: 'stt.engine',
  WXGATE_STT_COMMAND: 'stt.command',
  WXGATE_STT_LANGUAGES: 'stt.languages',
  WXGATE_STT_POCKETSPHINX: 'stt.pocketsphinxPath',
  WXGATE_STT_TIMEOUT_MS: 'stt.timeoutMs',
  WXGATE_EVENT_RETENTION_DAYS: 'eventRetentionDays',
  WXGATE_SIGNING_SECRET_GRACE_SECONDS: 'signingSecretGraceSeconds',
  WXGATE_ALLOW_UNAUTHENTICATED_DIRECT: 'allowUnauthenticatedDirect',
  WXGATE_RESPONSE_MODE: 'responseMode',
  WXGATE_LANGUAGE: 'language',
  WXGATE_CDN_GUID_ACCESS: 'cdnGuidAccess',
  WXGATE_NEW_DEVICE_RISK_CONTROL: 'newDeviceRiskControl',
  WXGATE_WECHATY_PORT: 'wechatyPort',
  LOG_LEVEL: 'logLevel',
  LOG_FORMAT: 'logFormat',
  WXGATE_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Raw = Record<string, unknown>;

function setPath(target: Raw, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {};
    node = node[key] as Raw;
  }
  node[keys[keys.length - 1]!] = value;
}

/** Turns the env's strings into the schema's types, naming the variable when one cannot be read. */
function fromEnv(env: NodeJS.ProcessEnv): { raw: Raw; origin: Map<string, string> } {
  const raw: Raw = {};
  const origin = new Map<string, string>();
  for (const [name, path] of Object.entries(ENV_VARS)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    let value: unknown = text;
    if (/^(port|wechatyPort|databasePoolSize|bodyLimitBytes|shutdownTimeoutMs|signingSecretGraceSeconds|rateLimit\.|webhook\.(timeoutMs|maxInFlight)|relay\.timeoutMs|ilink\.timeoutMs|media\.(maxObjectBytes|fetchTimeoutMs|linkTtlSeconds)|stt\.timeoutMs)/.test(path)) {
      if (!/^\d+$/.test(text.trim())) throw new ConfigError(`${name}=${JSON.stringify(text)} is not a whole number`);
      value = Number(text.trim());
    } else if (path === 'eventRetentionDays') {
      if (!/^\d+(\.\d+)?$/.test(text.trim())) throw new ConfigError(`${name}=${JSON.stringify(text)} is not a number of days`);
      value = Number(text.trim());
    } else if (path === 'webhook.retrySchedule') {
      const parts = text.split(',').map((p) => p.trim());
      if (parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) throw new ConfigError(`${name}=${JSON.stringify(text)} must be comma-separated seconds, e.g. 0,5,300`);
      value = parts.map(Number);
    } else if (path === 'allowPrivateUrls' || path === 'stt.languages') {
      value = text.split(',').map((p) => p.trim()).filter(Boolean);
    } else if (path === 'allowLoopbackUrls') {
      if (!/^(auto|true|false|1|0)$/i.test(text.trim())) throw new ConfigError(`${name}=${JSON.stringify(text)} must be auto, true or false`);
      value = /^auto$/i.test(text.trim()) ? 'auto' : /^(true|1)$/i.test(text.trim());
    } else if (path === 'allowUnauthenticatedDirect' || path === 'newDeviceRiskControl' || path === 'cdnGuidAccess') {
      if (!/^(true|false|1|0)$/i.test(text.trim())) throw new ConfigError(`${name}=${JSON.stringify(text)} must be true or false`);
      value = /^(true|1)$/i.test(text.trim());
    }
    setPath(raw, path, value);
    origin.set(path, name);
  }
  return { raw, origin };
}

function merge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && prev && typeof prev === 'object'
      ? merge(prev as Raw, value as Raw)
      : value;
  }
  return out;
}

/**
 * Loads configuration: schema defaults ← `WXGATE_CONFIG` JSON file ← environment ← `overrides` (tests).
 * Throws ConfigError naming the offending setting; main prints it and exits non-zero.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  let file: Raw = {};
  if (env.WXGATE_CONFIG) {
    try {
      file = JSON.parse(readFileSync(resolve(env.WXGATE_CONFIG), 'utf8')) as Raw;
    } catch (err) {
      throw new ConfigError(`WXGATE_CONFIG=${env.WXGATE_CONFIG} cannot be read as JSON: ${(err as Error).message}`);
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new ConfigError(`WXGATE_CONFIG=${env.WXGATE_CONFIG} must hold a JSON object`);
  }
  const { raw: envRaw, origin } = fromEnv(env);
  const merged = merge(merge(file, envRaw), overrides as Raw);
  const withDefaults = Value.Default(ConfigSchema, merged) as Raw;
  const first = Value.Errors(ConfigSchema, withDefaults).First();
  if (first) {
    const path = first.path.replace(/^\//, '').replace(/\//g, '.');
    const envName = origin.get(path);
    const where = envName ? `${envName} (${path})` : path || 'configuration';
    throw new ConfigError(`invalid setting ${where}: ${first.message}`);
  }
  if ((withDefaults.appKey === undefined) !== (withDefaults.appSecret === undefined)) {
    throw new ConfigError('WXGATE_APP_KEY and WXGATE_APP_SECRET must be set together');
  }
  checkDatabaseUrl(withDefaults as Config);
  checkRedisUrl(withDefaults as Config);
  checkMediaStore(withDefaults as Config);
  checkRelay(withDefaults as Config);
  if (!isHttpUrl((withDefaults as Config).ilink.baseUrl)) throw new ConfigError('invalid setting WXGATE_ILINK_BASE_URL (ilink.baseUrl): must be an http:// or https:// URL');
  if (!isHttpUrl((withDefaults as Config).ilink.cdnUrl)) throw new ConfigError('invalid setting WXGATE_ILINK_CDN_URL (ilink.cdnUrl): must be an http:// or https:// URL');
  checkStt(withDefaults as Config);
  checkAllowPrivateUrls(withDefaults as Config);
  checkSecretKeys(withDefaults as Config);
  return withDefaults as Config;
}

const isHttpUrl = (text: string) => {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
};

/** The scheme of a service URL ('' when it is none); the URL may hold a password, so callers never echo it. */
function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** The URL holds a password: messages name the setting, never the value. */
function checkDatabaseUrl(config: Config): void {
  if (config.databaseUrl === undefined) return;
  const protocol = protocolOf(config.databaseUrl);
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConfigError('invalid setting WXGATE_DATABASE_URL (databaseUrl): must be a postgres:// or postgresql:// URL (unset: SQLite in DATA_DIR)');
  }
}

/** A cluster shares PostgreSQL; the URL may hold a password, so messages name the setting, never the value. */
function checkRedisUrl(config: Config): void {
  if (config.redisUrl === undefined) return;
  const protocol = protocolOf(config.redisUrl);
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new ConfigError('invalid setting WXGATE_REDIS_URL (redisUrl): must be a redis:// or rediss:// URL');
  }
  if (config.databaseUrl === undefined) {
    throw new ConfigError('WXGATE_REDIS_URL (redisUrl) needs WXGATE_DATABASE_URL (databaseUrl): the nodes of a cluster keep their data in one PostgreSQL');
  }
  if (config.secretKey === undefined) {
    throw new ConfigError('WXGATE_REDIS_URL (redisUrl) needs WXGATE_SECRET_KEY (secretKey): the nodes of a cluster open each other\'s encrypted columns, so they share one key (a data directory\'s own secret.key is that node\'s alone)');
  }
}

/**
 * The largest WXGATE_MEDIA_MAX_BYTES the postgres media store takes: a bytea (and the message that carries it) holds
 * less than 1 GiB; storage/blob/postgres-blob-store.ts allows a little more, for the encryption's padding.
 */
export const POSTGRES_MEDIA_MAX_BYTES = 1000 * 1024 * 1024;

/** Media in PostgreSQL is kept in the store's database, so there must be one; messages name both settings. */
function checkMediaStore(config: Config): void {
  if (config.media.store !== 'postgres') return;
  if (config.databaseUrl === undefined) {
    throw new ConfigError('WXGATE_MEDIA_STORE=postgres (media.store) needs WXGATE_DATABASE_URL (databaseUrl): the media blobs are kept in that PostgreSQL');
  }
  if (config.media.maxObjectBytes > POSTGRES_MEDIA_MAX_BYTES) {
    throw new ConfigError(`invalid setting WXGATE_MEDIA_MAX_BYTES (media.maxObjectBytes): at most ${POSTGRES_MEDIA_MAX_BYTES} with WXGATE_MEDIA_STORE=postgres (media.store), since a PostgreSQL bytea holds less than 1 GiB`);
  }
}

/** With the relay driver, the upstream and the public URL must be usable; messages name the setting, never a value of a secret. */
function checkRelay(config: Config): void {
  if (config.driver !== 'relay') return;
  const { relay } = config;
  if (!relay.baseUrl) throw new ConfigError('WXGATE_RELAY_BASE_URL (relay.baseUrl) is required with WXGATE_DRIVER=relay: the upstream provider\'s base URL');
  if (!isHttpUrl(relay.baseUrl)) throw new ConfigError('invalid setting WXGATE_RELAY_BASE_URL (relay.baseUrl): must be an http:// or https:// URL');
  if (relay.cdnUrl !== undefined && !isHttpUrl(relay.cdnUrl)) throw new ConfigError('invalid setting WXGATE_RELAY_CDN_URL (relay.cdnUrl): must be an http:// or https:// URL');
  if (!config.publicUrl) {
    throw new ConfigError('WXGATE_PUBLIC_URL (publicUrl) is required with WXGATE_DRIVER=relay: the base URL the upstream reaches wxgate at (its notify_url points there)');
  }
  if (!isHttpUrl(config.publicUrl)) throw new ConfigError('invalid setting WXGATE_PUBLIC_URL (publicUrl): must be an http:// or https:// URL');
  if ((relay.appKey === undefined) !== (relay.appSecret === undefined)) {
    throw new ConfigError('WXGATE_RELAY_APP_KEY and WXGATE_RELAY_APP_SECRET (relay.appKey, relay.appSecret) must be set together');
  }
  if (relay.mode === 'gateway' && !relay.appKey) {
    throw new ConfigError('WXGATE_RELAY_APP_KEY and WXGATE_RELAY_APP_SECRET (relay.appKey, relay.appSecret) are required with WXGATE_RELAY_MODE=gateway');
  }
  for (const [appKey, tenant] of Object.entries(relay.tenants)) {
    const where = `relay.tenants[${JSON.stringify(appKey)}]`;
    if (tenant.baseUrl !== undefined && !isHttpUrl(tenant.baseUrl)) throw new ConfigError(`invalid setting ${where}.baseUrl: must be an http:// or https:// URL`);
    if (tenant.cdnUrl !== undefined && !isHttpUrl(tenant.cdnUrl)) throw new ConfigError(`invalid setting ${where}.cdnUrl: must be an http:// or https:// URL`);
    if ((tenant.appKey === undefined) !== (tenant.appSecret === undefined)) throw new ConfigError(`${where}.appKey and .appSecret must be set together`);
    if ((tenant.mode ?? relay.mode) === 'gateway' && !(tenant.appKey ?? relay.appKey)) throw new ConfigError(`${where}: gateway mode needs appKey and appSecret`);
  }
}

/** An entry with a slash is a network: a typo in it must not silently become a host name that matches nothing. */
function checkAllowPrivateUrls(config: Config): void {
  for (const entry of config.allowPrivateUrls) {
    if (entry.includes('/') && !ipaddr.isValidCIDR(entry.replace(/^\[|\]$/g, ''))) {
      throw new ConfigError(`invalid setting WXGATE_ALLOW_PRIVATE_URLS (allowPrivateUrls): ${entry} is not a valid CIDR (e.g. 10.0.0.0/8, fd00::/8)`);
    }
  }
}

/** A 32-byte key from 64 hex digits or base64 (standard or URL-safe, padded or not); null when it is not one. */
export function decodeSecretKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : null;
}

/** Messages name the setting and how to make a key; never the value. */
function checkSecretKeys(config: Config): void {
  const settings = [['WXGATE_SECRET_KEY (secretKey)', config.secretKey], ['WXGATE_SECRET_KEY_PREVIOUS (secretKeyPrevious)', config.secretKeyPrevious]] as const;
  for (const [name, value] of settings) {
    if (value !== undefined && !decodeSecretKey(value)) {
      throw new ConfigError(`invalid setting ${name}: must be 32 random bytes as 64 hex digits or base64, e.g. the output of \`openssl rand -base64 32\``);
    }
  }
}

/** The command engine needs its command, with the {wav} placeholder; a command without that engine is a mistake. */
function checkStt(config: Config): void {
  const { stt } = config;
  if (stt.engine === 'command') {
    if (!stt.command) throw new ConfigError('WXGATE_STT_COMMAND (stt.command) is required with WXGATE_STT_ENGINE=command: the program to run, e.g. "my-asr --model /models/zh {wav}"');
    if (!stt.command.includes('{wav}')) throw new ConfigError('invalid setting WXGATE_STT_COMMAND (stt.command): must contain {wav}, where the path of the 16 kHz WAV goes');
  } else if (stt.command) {
    throw new ConfigError(`WXGATE_STT_COMMAND (stt.command) is set but WXGATE_STT_ENGINE (stt.engine) is ${stt.engine}; set WXGATE_STT_ENGINE=command to use it`);
  }
}
