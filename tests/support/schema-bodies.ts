import fc from 'fast-check';
import { hostileValue } from './hostile-values';

// Request bodies built from the published OpenAPI schema: valid ones, and valid ones with one
// field wrong, missing or extra. Wholly random bodies stop at the first validation check; these
// pass it and reach the services, the database and the domain rules behind them.

export interface JsonSchema {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

// Values the fixture makes real (libraries A…S2, the fixture's items and patrons), so a valid
// body names things that exist as often as things that do not.
const libraryCodes = ['A', 'B', 'C', 'D', 'S', 'S1', 'S2', 'a', 'NEW1', 'ZZ'];
const barcodes = ['31000001', '31000002', '21000001', '22000001', '24000001', '99999999'];
const marcxml =
  '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>' +
  '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Cape Cod &amp; the &lt;Islands&gt;</subfield></datafield></record>';

const patternValues: [RegExp, fc.Arbitrary<string>][] = [
  [/A-Za-z0-9_-\]\{1,20\}/, fc.constantFrom(...libraryCodes)],
  [/\[01\]\\d\|2\[0-3\]/, fc.constantFrom('00:00', '09:00', '12:30', '17:00', '23:59')],
  [/x21-\\x7E/, fc.oneof(fc.constantFrom(...barcodes), fc.stringMatching(/^[0-9A-Z]{4,14}$/))],
  [/0-9\+\(\)/, fc.constantFrom('207-555-0100', '+1 (207) 555-0199 x12')],
  [/@/, fc.constantFrom('reader@example.org', 'a.b+c@library.example.com')],
  [/A-Za-z0-9\]\[A-Za-z0-9\._@\+-\]/, fc.stringMatching(/^[a-z][a-z0-9]{3,12}$/).map((s) => `fuzz-${s}`)],
  [/02-29/, fc.constantFrom('2025-03-10', '2025-02-28', '2024-02-29', '2026-12-31', '2025-03-03')],
];

function byName(key: string): fc.Arbitrary<string> | undefined {
  if (key === 'patronBarcode') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom('21000001', '21000002', '22000001', '23000001', '24000001') }, { weight: 1, arbitrary: fc.constantFrom(...barcodes) });
  if (key === 'itemBarcode') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom('31000001', '31000002') }, { weight: 1, arbitrary: fc.constantFrom(...barcodes) });
  if (key === 'timezone') return fc.constantFrom('America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Mars/Olympus');
  if (/password/i.test(key)) return fc.constantFrom('a long passphrase 9', 'short', 'staff-password-1');
  if (key === 'marcxml') return fc.constant(marcxml);
  if (key === 'isbn') return fc.constantFrom('0-8044-2957-X', '9780140390445', 'not an isbn');
  return undefined;
}

function stringOf(schema: JsonSchema, key: string): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.constantFrom('2025-03-05T12:00:00Z', '2025-04-01T00:00:00+02:00');
  if (schema.format === 'date') return fc.constantFrom('2025-03-10', '2025-02-28', '2026-01-01');
  if (schema.format === 'email') return fc.constantFrom('reader@example.org', 'pa1@example.org');
  const named = byName(key);
  if (named) return named;
  const known = schema.pattern ? patternValues.find(([p]) => p.test(schema.pattern!)) : undefined;
  if (known) return known[1];
  const min = Math.max(schema.minLength ?? 0, 1);
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40));
  return fc.oneof(fc.constantFrom('The Maine Woods', 'Thoreau, Henry David', 'F THO', 'Stacks'), fc.string({ minLength: min, maxLength: max })).filter((s) => s.trim().length >= min && s.length <= max && !/[\r\n\0]/.test(s));
}

function integerOf(schema: JsonSchema, key: string): fc.Arbitrary<number> {
  const exclusive = schema.exclusiveMinimum === true ? 1 : 0;
  const min = Math.max((schema.minimum ?? -1000) + exclusive, -2147483648);
  const max = Math.min(schema.maximum ?? 1000, 2147483647);
  // ids the fixture holds are small numbers
  if (/Id$|^id$/.test(key)) return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: Math.max(min, 1), max: Math.min(max, 3) }) }, { weight: 1, arbitrary: fc.integer({ min, max }) });
  return fc.integer({ min, max });
}

/** A value the schema accepts (mostly: free text may still fail a rule the schema cannot state). */
export function validValue(schema: JsonSchema, key = ''): fc.Arbitrary<unknown> {
  const options = schema.anyOf ?? schema.oneOf;
  const core: fc.Arbitrary<unknown> = options
    ? fc.oneof(...options.map((o) => validValue(o, key)))
    : schema.enum
      ? fc.constantFrom(...schema.enum)
      : schema.type === 'string'
        ? stringOf(schema, key)
        : schema.type === 'integer'
          ? integerOf(schema, key)
          : schema.type === 'number'
            ? fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true })
            : schema.type === 'boolean'
              ? fc.boolean()
              : schema.type === 'array'
                ? fc.array(validValue(schema.items ?? {}, key), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)) })
                : schema.type === 'object' || schema.properties
                  ? validObject(schema)
                  : fc.constant('');
  return schema.nullable ? fc.oneof({ weight: 5, arbitrary: core }, { weight: 1, arbitrary: fc.constant(null) }) : core;
}

function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validValue(s, k)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A valid body, or one with exactly one thing wrong: a field of the wrong kind, one missing, one extra. */
export function nearValidBody(schema: JsonSchema): fc.Arbitrary<unknown> {
  const keys = Object.keys(schema.properties ?? {});
  const required = (schema.required ?? []).filter((k) => keys.includes(k));
  type Mutation = (body: Record<string, unknown>) => Record<string, unknown>;
  const mutations: fc.WeightedArbitrary<Mutation>[] = [{ weight: 3, arbitrary: fc.constant((b: Record<string, unknown>) => b) }];
  if (keys.length > 0) mutations.push({ weight: 2, arbitrary: fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => (b: Record<string, unknown>) => ({ ...b, [k]: v })) });
  if (required.length > 0) mutations.push({ weight: 1, arbitrary: fc.constantFrom(...required).map((k) => (b: Record<string, unknown>) => Object.fromEntries(Object.entries(b).filter(([key]) => key !== k))) });
  mutations.push({ weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostileValue).map(([k, v]) => (b: Record<string, unknown>) => ({ ...b, [k]: v })) });
  return fc.tuple(validObject(schema), fc.oneof(...mutations)).map(([body, mutate]) => mutate(body));
}

/** Named fields with hostile values: the shape is right, every value is wrong. */
export function shapedHostileBody(keys: string[]): fc.Arbitrary<unknown> {
  if (keys.length === 0) return fc.constant({});
  return fc.subarray(keys).chain((chosen) => fc.tuple(...chosen.map((k) => hostileValue.map((v) => [k, v] as const))).map((pairs) => Object.fromEntries(pairs)));
}
