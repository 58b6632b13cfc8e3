// Random junk bodies on every endpoint, through both transports, never produce a 5xx (501 "not supported" excepted) nor crash.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { endpointList, type EndpointSpec } from '@wxgate/contract';
import { startHarness, type Harness } from '../../harness.ts';

/** Junk shaped like the endpoint's own fields (wrong types, nulls, huge numbers, nesting), plus pure junk. */
function junkFor(spec: EndpointSpec, guid: string): fc.Arbitrary<unknown> {
  const fieldNames = Object.keys(spec.request.properties as object);
  const value = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constant(guid),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
  );
  const shaped = fc.dictionary(fc.constantFrom(...fieldNames, '__proto__', 'constructor', 'extra'), value, { maxKeys: fieldNames.length + 2 });
  const withGuid = shaped.map((body) => ({ ...body, guid }));
  return fc.oneof(shaped, withGuid, fc.anything({ maxDepth: 2 }));
}

describe('fuzz', () => {
  let h: Harness;
  let guid: string;
  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    guid = await h.createInstance({ auto_start: true });
  });
  after(() => h.close());

  test('every endpoint survives junk on both transports', async () => {
    let calls = 0;
    const codes = new Map<number, number>();
    for (const spec of endpointList) {
      // Destructive calls would end the run early; their junk is still validated, just against a throwaway guid.
      const target = spec.path === '/client/remove_client' || spec.path === '/client/stop_client' ? '00000000-0000-4000-8000-000000000001' : guid;
      await fc.assert(
        fc.asyncProperty(junkFor(spec, target), fc.boolean(), async (body, viaGateway) => {
          const res = viaGateway ? await h.gateway(spec.path, body) : await h.direct(spec.path, body);
          calls++;
          codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
          assert.ok(res.status < 500 || res.status === 501, `${spec.path} answered ${res.status}: ${res.text}`);
          assert.equal(typeof res.body, 'object', `${spec.path} answered non-JSON`);
        }),
        { numRuns: 25, seed: 20261128 },
      );
    }
    // Raw junk bodies at the HTTP level.
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom(...endpointList.map((e) => e.path), '/open/GuidRequest'), async (payload, url) => {
        const res = await h.app.http.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
        assert.ok(res.statusCode < 500 || res.statusCode === 501, `${url} answered ${res.statusCode} to ${JSON.stringify(payload)}`);
      }),
      { numRuns: 300, seed: 7 },
    );
    assert.ok(calls >= endpointList.length * 25);
    assert.ok((codes.get(422) ?? 0) > 0 && (codes.get(200) ?? 0) > 0, `saw ${JSON.stringify([...codes])}`);
    // The server is still healthy afterwards.
    assert.equal((await h.direct('/client/get_client_status', { guid })).status, 200);
  });
});
