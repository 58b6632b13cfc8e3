// Entry point: config → build → listen, with first-start credentials and graceful shutdown on SIGTERM/SIGINT.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildApp, createLogger, DatabaseInUseError, DataDirInUseError, flushLogger, type Wxgate } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { NewCredentials } from './core/apps.ts';
import { SecretKeyError } from './core/secrets/secret-box.ts';

/**
 * What the person at the terminal reads, in the terminal's language (LC_ALL, LC_MESSAGES, LANG, as POSIX orders
 * them: zh… is Chinese); the JSON log stays English for machines.
 */
const NOTICES = {
  en: {
    firstApp: (appKey: string, appSecret: string, file: string) =>
      `wxgate created your first app. Keep these; the secret is not shown again:\n` +
      `  app_key:    ${appKey}\n  app_secret: ${appSecret}\n  (also written to ${file}, mode 0600)`,
    ready: (url: string) => `wxgate is up at ${url}\n  web console: ${url}/console/\n  API docs:    ${url}/docs\n  CLI:         npx wxgate --help`,
  },
  zh: {
    firstApp: (appKey: string, appSecret: string, file: string) =>
      `wxgate 已创建第一个应用。请保存好以下凭据，secret 不会再显示：\n` +
      `  app_key:    ${appKey}\n  app_secret: ${appSecret}\n  （已同时写入 ${file}，权限 0600）`,
    ready: (url: string) => `wxgate 已启动：${url}\n  网页控制台：${url}/console/\n  接口文档：  ${url}/docs\n  命令行：    npx wxgate --help`,
  },
};
const locale = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
const notices = /^zh(?:[_.@-]|$)/i.test(locale) ? NOTICES.zh : NOTICES.en;

function announceCredentials(config: Config, created: NewCredentials): void {
  const file = join(resolve(config.dataDir), 'credentials.json');
  mkdirSync(resolve(config.dataDir), { recursive: true });
  writeFileSync(file, JSON.stringify({ app_key: created.app.appKey, app_secret: created.appSecret }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  // Shown once on the terminal (not through the JSON log, which is redacted and may be shipped elsewhere).
  process.stderr.write(`\n${notices.firstApp(created.app.appKey, created.appSecret, file)}\n\n`);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`wxgate: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, 1, config.logFormat);
  let app: Wxgate;
  try {
    app = await buildApp({ config, logger });
  } catch (err) {
    // Like a bad setting: the operator must fix the key, and the same start would fail again.
    if (err instanceof SecretKeyError) {
      process.stderr.write(`wxgate: ${err.message}\n`);
      process.exit(78);
    }
    if (err instanceof DataDirInUseError || err instanceof DatabaseInUseError) {
      for (const line of err.message.split('\n')) process.stderr.write(`wxgate: ${line}\n`);
      // EX_TEMPFAIL: nothing is wrong with this one's settings; it can start once the directory (or schema) is free.
      process.exit(75);
    }
    throw err;
  }
  if (app.createdApp) announceCredentials(config, app.createdApp);
  const url = await app.http.listen({ host: config.host, port: config.port });
  logger.info({ driver: app.services.driver.name, store: app.store.kind, dataDir: resolve(config.dataDir) }, 'wxgate ready');
  // Where to go next, for the person at the terminal (the JSON log above is for machines; under a service manager
  // stderr is a log file, where these lines would only be noise beside the "Server listening at" entry).
  if (process.stderr.isTTY) process.stderr.write(`\n${notices.ready(url)}\n\n`);

  // The log is written asynchronously: the lines still buffered are written out before the process ends.
  const exit = (code: number) => void flushLogger(logger).then(() => process.exit(code));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    app.close().then(
      () => {
        logger.info('stopped cleanly');
        exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`wxgate failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
