// The production logger: pino JSON lines through an asynchronous destination, with secrets redacted by fixed paths.
import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

/** Fields that are secrets wherever they sit: at the top of a log line or under one of CONTAINERS. */
const SECRET_FIELDS = [
  'app_secret', 'appSecret', 'secretHash', 'password', 'proxy_password', 'adminToken',
  // the key that encrypts secrets at rest (WXGATE_SECRET_KEY, …_PREVIOUS)
  'secretKey', 'secretKeyPrevious',
  // a proxy URL carries its password (socks5://user:password@host:port)
  'proxy',
];

/** The keys under which our log calls (or a mistaken one logging a request, body or config whole) nest objects. */
const CONTAINERS = ['err', 'error', 'req', 'request', 'body', 'data', 'config', 'options', 'instance', 'app'];

/** Request headers that carry credentials, under every key a request or its headers are logged at. */
const SECRET_HEADERS = ['authorization', '["x-app-secret"]'];
const HEADER_HOLDERS = ['headers', 'req.headers', 'request.headers'];

/** The relay's upstream credentials (never logged on purpose; this catches a config or options object logged whole). */
const RELAY_PATHS = ['relay', 'config.relay', 'upstream', 'options.upstream', 'relay.upstream'].flatMap((at) => [`${at}.appKey`, `${at}.appSecret`]);

/**
 * Every redacted path, spelled out. Fixed paths, not wildcards (`*.app_secret`): with a wildcard pino passes every
 * value of every log line through the redactor (about 10 µs a line, half the cost of logging a request); with fixed
 * paths only lines that carry one of these keys pay anything. The price is that a secret nested under a key missing
 * here is not caught — so the code never logs secrets (test/api/tenants/secrets.test.ts checks the log stream without any
 * redaction) and this list is the second line of defence.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS,
  ...CONTAINERS.flatMap((c) => SECRET_FIELDS.map((f) => `${c}.${f}`)),
  ...['body', 'data'].flatMap((c) => SECRET_FIELDS.map((f) => `req.${c}.${f}`)),
  ...SECRET_HEADERS,
  ...HEADER_HOLDERS.flatMap((h) => SECRET_HEADERS.map((name) => (name.startsWith('[') ? `${h}${name}` : `${h}.${name}`))),
  ...RELAY_PATHS,
];

export const REDACT_CENSOR = '[redacted]';

/** The logger's options (level, redaction); the destination is chosen by `createLogger`. */
export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR } };
}

/** Lines are written in batches of this many bytes (about 16 access lines)… */
const BATCH_BYTES = 4096;
/** …or after this long, whichever comes first, so a quiet server's lines are not held back. */
const FLUSH_INTERVAL_MS = 250;

/**
 * The server's logger. `destination`: a file descriptor (1, stdout, in production) or a file path. Writes are
 * asynchronous and batched: one write(2) per request cost more than formatting the line (measured with
 * `npm run bench:api`), so lines gather until BATCH_BYTES or FLUSH_INTERVAL_MS. At exit pino writes what is left
 * synchronously; main.ts also calls `flushLogger` before it exits. A SIGKILL loses at most the last batch.
 */
export function createLogger(level: string, destination: number | string = 1, format: 'auto' | 'json' | 'pretty' = 'json'): Logger {
  // A person at a terminal reads lines, not JSON: same content (and redaction), formatted by pino-pretty as written.
  if (format === 'pretty' || (format === 'auto' && destination === 1 && process.stdout.isTTY)) {
    return pino(loggerOptions(level), pretty({ destination, sync: true, colorize: destination === 1 && process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  const stream = pino.destination({ dest: destination, sync: false, minLength: BATCH_BYTES });
  const timer = setInterval(() => {
    if (!(stream as { destroyed?: boolean }).destroyed) stream.flush();
  }, FLUSH_INTERVAL_MS);
  timer.unref();
  stream.on('close', () => clearInterval(timer));
  return pino(loggerOptions(level), stream);
}

/** Resolves when the lines logged so far are written (and fsynced if a file), or after `timeoutMs` if the destination is stuck. */
export function flushLogger(logger: Logger, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    logger.flush(() => {
      clearTimeout(timer);
      // sonic-boom calls back when the write in flight is done; lines that arrived meanwhile may still sit below
      // the batch size. Nothing is being written now, so they can be written synchronously.
      const stream = (logger as unknown as Record<symbol, { flushSync?: () => void }>)[pino.symbols.streamSym];
      try {
        stream?.flushSync?.();
      } catch {
        // a destroyed or busy stream: what was written is all that can be
      }
      resolve();
    });
  });
}
