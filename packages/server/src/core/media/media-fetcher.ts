// Fetches upload URLs for the CDN through undici: connections only to addresses the SSRF guard approved at connect
// time (as webhooks), a byte limit enforced while reading, a timeout, and no redirects.
import { request, type Agent } from 'undici';
import { MediaFetchError, type FetchedMedia, type MediaFetcher } from '../../driver/media.ts';
import { guardedAgent } from '../egress/guarded-agent.ts';
import { BlockedUrlError, type UrlGuard } from '../egress/url-guard.ts';

export class GuardedMediaFetcher implements MediaFetcher {
  readonly #agent: Agent;

  constructor(private readonly guard: UrlGuard, private readonly timeoutMs: number) {
    this.#agent = guardedAgent(guard, { keepAliveTimeoutMs: 10_000, connections: 16 });
  }

  async fetch(target: string, maxBytes: number): Promise<FetchedMedia> {
    const url = new URL(target);
    // literal addresses never reach the lookup: check them (and the scheme) here
    const problem = this.guard.check(url);
    if (problem) throw new MediaFetchError('forbidden', problem);
    let res;
    try {
      res = await request(url, { method: 'GET', dispatcher: this.#agent, signal: AbortSignal.timeout(this.timeoutMs), headers: { 'user-agent': 'wxgate-media/1' } });
    } catch (error) {
      throw this.#failure(error);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump();
      throw new MediaFetchError('failed', `the url answered HTTP ${res.statusCode}${res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed)' : ''}`);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body.dump();
      throw new MediaFetchError('too_large', `the url declares ${declared} bytes, more than ${maxBytes}`);
    }
    const chunks: Buffer[] = [];
    let read = 0;
    try {
      for await (const chunk of res.body) {
        read += (chunk as Buffer).length;
        if (read > maxBytes) {
          res.body.destroy();
          throw new MediaFetchError('too_large', `the content passed ${maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw this.#failure(error);
    }
    const type = res.headers['content-type'];
    return { bytes: Buffer.concat(chunks), contentType: typeof type === 'string' ? type : '' };
  }

  #failure(error: unknown): MediaFetchError {
    if (error instanceof MediaFetchError) return error;
    const cause = (error as { cause?: unknown }).cause;
    if (error instanceof BlockedUrlError || cause instanceof BlockedUrlError || (error as { code?: string }).code === 'EBLOCKED') {
      return new MediaFetchError('forbidden', (cause instanceof Error ? cause : (error as Error)).message);
    }
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return new MediaFetchError('failed', `no complete answer within ${this.timeoutMs} ms`);
    return new MediaFetchError('failed', (error as Error).message || String(error));
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
