import fc from 'fast-check';
import { nearValidBody, shapedHostileBody, validValue, type JsonSchema } from './schema-bodies';
import { deepJsonTexts, hostileString, hostileValue } from './hostile-values';

// Whole requests to one operation of the published API: a body (JSON, broken JSON, bytes that
// are not UTF-8, other content types), path parameters and a query.

export interface ApiOperation {
  /** The first path segment after /api/v1: holds, circulation, libraries… */
  group: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  bodySchema?: JsonSchema;
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema }[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: { in: string; name: string; schema: JsonSchema }[] }>>;
}

export function operationsOf(doc: OpenApiDocument): ApiOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'patch'].includes(method))
      .map(([method, op]) => ({
        group: path.replace(/^\/api\/v1\//, '').split('/')[0],
        method: method.toUpperCase() as ApiOperation['method'],
        path,
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map(({ name, schema }) => ({ name, schema })),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map(({ name, schema }) => ({ name, schema })),
      })),
  );
}

export interface HostileRequest {
  url: string;
  /** Absent: no body at all. */
  payload?: string | Buffer;
  contentType?: string;
  /** What kind of body it was, for the summary. */
  kind: 'json' | 'broken-json' | 'not-utf8' | 'other-type' | 'no-type' | 'none';
}

// Named things the fixture holds, so a parameter finds something as often as not. The callers'
// own user names are left out: a new password for them would end the fuzzing sessions.
const pathValues: Record<string, fc.Arbitrary<string>> = {
  name: fc.constantFrom('Stacks', 'targeting', 'notices', 'shelf-expiry', 'due-notices', 'session-cleanup', 'nope'),
  username: fc.constantFrom('b-circ', 'c-cat', 's1-admin', 'nobody'),
};

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value.slice(0, 5000));
  } catch {
    // a lone surrogate: sent as the bytes a broken client would send
    return escape(value.slice(0, 5000));
  }
}

function pathArbitrary(op: ApiOperation): fc.Arbitrary<string> {
  if (op.pathParams.length === 0) return fc.constant(op.path);
  const values = op.pathParams.map((p) =>
    fc.oneof({ weight: 4, arbitrary: pathValues[p.name] ?? validValue(p.schema, p.name).map(String) }, { weight: 1, arbitrary: hostileString }),
  );
  return fc.tuple(...values).map((chosen) => op.pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, encodeSegment(chosen[i])), op.path));
}

function queryArbitrary(op: ApiOperation, weightOfNone: number): fc.Arbitrary<string> {
  const names = [...op.queryParams.map((p) => p.name), 'q', 'limit', 'offset', 'format'];
  const schemaOf = (name: string) => op.queryParams.find((p) => p.name === name)?.schema;
  const entry = fc.constantFrom(...names).chain((name) => {
    const schema = schemaOf(name);
    const value = schema ? fc.oneof({ weight: 2, arbitrary: validValue(schema, name).map(String) }, { weight: 1, arbitrary: hostileString }) : hostileString;
    return value.map((v) => [name, v.slice(0, 5000)] as const);
  });
  const query = fc.array(entry, { maxLength: 4 }).map((pairs) => {
    const params = new URLSearchParams();
    // (a lone surrogate becomes U+FFFD here, as a browser would send it)
    for (const [k, v] of pairs) params.append(k, v);
    const text = params.toString();
    return text ? `?${text}` : '';
  });
  return fc.oneof({ weight: weightOfNone, arbitrary: fc.constant('') }, { weight: 1, arbitrary: query });
}

const brokenJson = fc.constantFrom('{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", 'NaN', 'undefined', '"unterminated', '{"a":1}{"b":2}', '1e99999', '{"a":"\\ud800"}', '{"a":"\\u0000"}', ' ', '', '\u0000', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '['.repeat(100_000), ...deepJsonTexts);
const otherTypes = fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/html', 'application/json; charset=utf-16', 'application/jsonx', 'APPLICATION/JSON', 'application/json; charset=latin1', 'application/marc', 'image/png');

function bodyArbitrary(op: ApiOperation): fc.Arbitrary<unknown> {
  const schema = op.bodySchema;
  if (!schema?.properties) return fc.oneof(fc.constant({}), hostileValue, fc.anything());
  return fc.oneof(
    { weight: 6, arbitrary: nearValidBody(schema) },
    { weight: 2, arbitrary: shapedHostileBody(Object.keys(schema.properties)) },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.anything() },
  );
}

/** A request with a body for a POST or PATCH: mostly JSON of every sort, sometimes not JSON at all. */
export function bodyRequestArbitrary(op: ApiOperation): fc.Arbitrary<HostileRequest> {
  const json = bodyArbitrary(op).map((body) => ({ payload: JSON.stringify(body) ?? '', contentType: 'application/json', kind: 'json' as const }));
  const broken = brokenJson.map((payload) => ({ payload, contentType: 'application/json', kind: 'broken-json' as const }));
  const notUtf8 = fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((bytes) => ({ payload: Buffer.concat([Buffer.from('{"note":"'), Buffer.from(bytes), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]), contentType: 'application/json', kind: 'not-utf8' as const }));
  const other = fc.tuple(otherTypes, bodyArbitrary(op)).map(([contentType, body]) => ({ payload: JSON.stringify(body) ?? 'a=1', contentType, kind: 'other-type' as const }));
  const untyped = bodyArbitrary(op).map((body) => ({ payload: JSON.stringify(body) ?? 'x', contentType: undefined, kind: 'no-type' as const }));
  return fc
    .tuple(
      pathArbitrary(op),
      queryArbitrary(op, 6),
      fc.oneof({ weight: 16, arbitrary: json }, { weight: 1, arbitrary: broken }, { weight: 1, arbitrary: notUtf8 }, { weight: 1, arbitrary: other }, { weight: 1, arbitrary: untyped }),
    )
    .map(([path, query, body]) => ({ url: path + query, ...body }));
}

/** A GET: the path parameters and the query are its input. */
export function queryRequestArbitrary(op: ApiOperation): fc.Arbitrary<HostileRequest> {
  return fc.tuple(pathArbitrary(op), queryArbitrary(op, 1)).map(([path, query]) => ({ url: path + query, kind: 'none' as const }));
}
