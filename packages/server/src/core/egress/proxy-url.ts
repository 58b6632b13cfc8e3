// Proxy URLs: validation (http, socks4, socks5) and masking of their credentials for every response and log line.

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:']);

/** Returns a reason the URL is unusable, or null. An empty string means "no proxy" and is fine. */
export function proxyProblem(proxy: string): string | null {
  if (proxy === '') return null;
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    return 'not a URL; use http://host:port, socks4://host:port or socks5://user:pass@host:port';
  }
  if (!PROXY_SCHEMES.has(url.protocol)) return `scheme ${url.protocol.replace(':', '')} is not supported; use http, socks4 or socks5`;
  if (!url.hostname) return 'the proxy URL has no host';
  if (!url.port) return 'the proxy URL needs a port';
  if (url.pathname && url.pathname !== '/' ) return 'a proxy URL has no path';
  return null;
}

/** `socks5://user:pass@h:1` → `socks5://***:***@h:1`; anything unparsable is hidden whole. */
export function maskProxy(proxy: string): string {
  if (proxy === '') return '';
  try {
    const url = new URL(proxy);
    if (url.username) url.username = '***';
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '***';
  }
}
