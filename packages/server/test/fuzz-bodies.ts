// Junk request bodies for fuzz tests: shaped like an endpoint's fields (plausible and hostile values), or a valid body
// with one or two fields spoiled, so the junk gets past validation into the engine behind it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { EndpointSpec } from '@wxgate/contract';
import type { Harness } from './harness.ts';

export interface JunkOptions {
  /** The instance to aim at (added as guid on instance-scoped endpoints). */
  readonly guid: string;
  /** Values that mean something in this world (wxids, room ids, URLs, XML fragments, edge numbers). */
  readonly plausible: ReadonlyArray<string | undefined>;
  /** A valid body for the endpoint, when the test knows one. */
  readonly template?: Record<string, unknown> | undefined;
  /** Further value shapes worth trying for this module, built from the plausible values. */
  readonly extraValues?: (plausible: fc.Arbitrary<string>) => ReadonlyArray<fc.Arbitrary<unknown>>;
}

export function junkBody(spec: EndpointSpec, options: JunkOptions): fc.Arbitrary<Record<string, unknown>> {
  const fieldNames = Object.keys(spec.request.properties as object);
  const plausible = fc.constantFrom(...options.plausible.filter((v): v is string => v !== undefined));
  const value = fc.oneof(
    plausible,
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.array(fc.oneof(plausible, fc.string(), fc.integer()), { maxLength: 3 }),
    fc.anything({ maxDepth: 2 }),
    ...(options.extraValues?.(plausible) ?? []),
  );
  const withGuid = (body: Record<string, unknown>) => (spec.scope === 'instance' ? { ...body, guid: options.guid } : body);
  const shaped = fc.dictionary(fc.constantFrom(...fieldNames, 'extra'), value, { maxKeys: fieldNames.length + 1 }).map(withGuid);
  const spoilable = fieldNames.filter((f) => f !== 'guid');
  if (!options.template || spoilable.length === 0) return shaped;
  const template = options.template;
  const spoiled = fc.array(fc.tuple(fc.constantFrom(...spoilable), value), { maxLength: 2 })
    .map((changes) => withGuid({ ...template, ...Object.fromEntries(changes) }));
  return fc.oneof(shaped, spoiled, spoiled);
}

/**
 * Sends junk from `junk` to every endpoint, through both transports at random, asserting that each answer is a JSON
 * object and never a 5xx (501 "not supported" allowed when `allow501`). Returns how often each status was seen.
 */
export async function fuzzEndpoints(
  h: Harness,
  specs: readonly EndpointSpec[],
  junk: (spec: EndpointSpec) => fc.Arbitrary<unknown>,
  options: { numRuns: number; seed: number; allow501?: boolean },
): Promise<Map<number, number>> {
  const codes = new Map<number, number>();
  for (const spec of specs) {
    await fc.assert(
      fc.asyncProperty(junk(spec), fc.boolean(), async (body, viaGateway) => {
        const res = viaGateway ? await h.gateway(spec.path, body) : await h.direct(spec.path, body);
        codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
        const fine = res.status < 500 || (options.allow501 === true && res.status === 501);
        assert.ok(fine, `${spec.path} answered ${res.status} to ${JSON.stringify(body).slice(0, 300)}: ${res.text.slice(0, 300)}`);
        assert.equal(typeof res.body, 'object');
      }),
      { numRuns: options.numRuns, seed: options.seed },
    );
  }
  return codes;
}
