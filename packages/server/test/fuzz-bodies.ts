// Junk request bodies for fuzz tests: shaped like an endpoint's fields (plausible and hostile values), or a valid body
// with one or two fields spoiled, so the junk gets past validation into the engine behind it.
import fc from 'fast-check';
import type { EndpointSpec } from '@wxgate/contract';

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
