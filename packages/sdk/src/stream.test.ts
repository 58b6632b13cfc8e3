// The stream client's SSE side fed bytes split anywhere: events in sn order, comments and retry advice, resume by Last-Event-ID.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followEvents, reconnectDelay, type StreamedEvent, type StreamStatus } from './stream.ts';

const source = { baseUrl: 'http://wxgate.test', authHeaders: () => ({ 'x-app-key': 'k', 'x-app-secret': 's' }) };
const frame = (sn: number, text: string) =>
  `id: ${sn}\r\nevent: callback\r\ndata: ${JSON.stringify({ event_id: `evt_${sn}`, guid: 'g', notify_type: 1010, data: { msg_type: 1, content: text } })}\r\n\r\n`;

/** A fetch answering one SSE body cut into `pieces`, recording each request's Last-Event-ID. */
function sseFetch(bodies: string[][], asked: Array<string | null>): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) => {
    asked.push(new Headers(init?.headers).get('last-event-id'));
    const pieces = bodies.shift() ?? [];
    const encoder = new TextEncoder();
    return new Response(new ReadableStream({
      start(controller) {
        for (const p of pieces) controller.enqueue(encoder.encode(p));
        controller.close();
      },
    }), { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
}

test('SSE: events split across chunks and CRLF, comments and retry advice; a reconnect resumes after the last handled sn', async () => {
  const whole = `retry: 1\n\n: ping\n\n${frame(7, 'a')}${frame(8, 'b')}`;
  const cut = [whole.slice(0, 5), whole.slice(5, 40), whole.slice(40, 41), whole.slice(41)];
  const asked: Array<string | null> = [];
  const got: StreamedEvent[] = [];
  const statuses: StreamStatus[] = [];
  const abort = new AbortController();
  // The second connection repeats sn 8 (as a server may after a drop) and adds 9: 8 must not be handled twice.
  const fetch = sseFetch([cut, [frame(8, 'b'), frame(9, 'c')]], asked);
  await followEvents({
    source, guid: 'g', transport: 'sse', signal: abort.signal, fetch,
    backoff: (_attempt, retry) => retry ?? 1000,
    onEvent: (e) => { got.push(e); if (e.sn === 9) abort.abort(); },
    onStatus: (s) => { statuses.push(s); },
  });
  assert.deepEqual(got.map((e) => [e.sn, e.eventId, (e.event.data as { content: string }).content]), [[7, 'evt_7', 'a'], [8, 'evt_8', 'b'], [9, 'evt_9', 'c']]);
  assert.deepEqual(asked, [null, '8']);
  const retry = statuses.find((s) => s.state === 'retrying');
  assert.deepEqual(retry && retry.state === 'retrying' ? [retry.delayMs, retry.wasOpen, retry.afterSn] : null, [1, true, 8]);
  assert.equal(statuses.at(-1)?.state, 'closed');
});

test('SSE: a 404 is a refusal (rejects with the server\'s code), not something to retry', async () => {
  const fetch = (async () => new Response(JSON.stringify({ errcode: 40402, errmsg: 'unknown instance' }), { status: 404 })) as typeof globalThis.fetch;
  await assert.rejects(
    followEvents({ source, guid: 'g', transport: 'sse', signal: new AbortController().signal, fetch, onEvent: () => undefined }),
    (err: Error & { code?: number; status?: number }) => err.code === 40402 && err.status === 404,
  );
});

test('reconnect delays double up to 30 s, jittered between half and all of the step', () => {
  for (const [attempt, ceiling] of [[1, 500], [2, 1000], [5, 8000], [20, 30_000]] as const) {
    const d = reconnectDelay(attempt);
    assert.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${attempt}: ${d}`);
  }
});
