// OneLogin's OpenAPI document in the test suite: every request the client sends and every answer the emulator gives,
// over the scenarios the product runs, checked against test/fixtures/openapi/onelogin-openapi-3.1.1.patched.yaml.
// What differs on purpose is in reviewed-deviations.ts, each case with its reason.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, test } from 'vitest';
import type { OpenApiDocument } from './openapi-document.ts';
import { DOCUMENT_PATH, loadOpenApiDocument } from './openapi-document.ts';
import { explains, REVIEWED_DEVIATIONS } from './reviewed-deviations.ts';
import type { Exchange, Finding } from './traffic-check.ts';
import { checkExchange } from './traffic-check.ts';
import {
  clientCalls,
  emulatorOnlyCalls,
  everyCallOnce,
  recordTraffic,
  undoCalls,
  WRONG_SECRET,
} from './traffic-scenarios.ts';

let document: OpenApiDocument;
let traffic: Exchange[];

beforeAll(async () => {
  document = loadOpenApiDocument();
  const ignore = () => undefined;
  traffic = [
    ...(await recordTraffic({}, clientCalls)),
    // Tokens invalidated every few calls: the client meets 401s and takes new tokens.
    ...(await recordTraffic({ invalidateTokenEvery: 4 }, clientCalls)),
    ...(await recordTraffic({}, (client) => client.getUser(1).then(ignore, ignore), { credentials: WRONG_SECRET })),
    ...(await recordTraffic({}, emulatorOnlyCalls)),
    ...(await recordTraffic({}, undoCalls)),
    ...(await recordTraffic({ listIncludesCustomAttributes: true }, undoCalls)),
    ...(await recordTraffic({ limitRefusal: { above: 100, status: 400 } }, clientCalls)),
    ...(await recordTraffic({ limitRefusal: { above: 100, status: 422 } }, clientCalls)),
    ...(await recordTraffic({ noRoute: 'resources' }, everyCallOnce)),
    ...(await recordTraffic({ noRoute: 'everything' }, everyCallOnce)),
    ...(await recordTraffic(
      { rateLimit: { limit: 5000, windowSeconds: 3600 }, rateLimitBurst: { afterCalls: 3, seconds: 1 } },
      clientCalls,
    )),
  ];
}, 120_000);

function findingsOf(exchanges: readonly Exchange[]): Finding[] {
  return exchanges.flatMap((exchange) => checkExchange(document, exchange));
}

describe('the OpenAPI document', () => {
  test('is a valid OpenAPI 3.0 document', async () => {
    const result = await new Validator().validate(readFileSync(DOCUMENT_PATH, 'utf8'));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});

describe('traffic against the document', () => {
  test('covers every operation the client uses and the emulator routes the tests call', () => {
    const operations = new Set(findingsOf([]).map((f) => f.operation));
    for (const exchange of traffic) {
      const url = new URL(exchange.target, 'http://x');
      operations.add(document.operationFor(exchange.method, url.pathname)?.key ?? `? ${url.pathname}`);
    }
    expect([...operations].sort()).toEqual([
      'DELETE /api/2/roles/{role_id}/users',
      'DELETE /api/2/users/{user_id}',
      'GET /api/1/users/{user_id}/roles',
      'GET /api/2/roles',
      'GET /api/2/users',
      'GET /api/2/users/{user_id}',
      'GET /auth/rate_limit',
      'POST /api/2/roles/{role_id}/users',
      'POST /api/2/users',
      'POST /auth/oauth2/v2/token',
      'PUT /api/1/users/{user_id}/logout',
      'PUT /api/2/users/{user_id}',
    ]);
    const statuses = new Set(traffic.map((exchange) => exchange.status));
    for (const status of [200, 201, 204, 400, 401, 404, 422, 429]) expect(statuses).toContain(status);
  });

  test('every finding is a reviewed deviation', () => {
    const unexplained = findingsOf(traffic).filter(
      (finding) => !REVIEWED_DEVIATIONS.some((deviation) => explains(deviation, finding)),
    );
    expect(unexplained).toEqual([]);
  });

  test('every reviewed deviation is still seen (the list holds nothing the traffic no longer shows)', () => {
    const findings = findingsOf(traffic);
    const unused = REVIEWED_DEVIATIONS.filter((deviation) => !findings.some((finding) => explains(deviation, finding)));
    expect(unused.map((deviation) => deviation.name)).toEqual([]);
    for (const deviation of REVIEWED_DEVIATIONS) expect(deviation.reason.length).toBeGreaterThan(40);
  });

  test('the 404 of a wrong base path is the document\'s own "No Route Exists" body', () => {
    const noRoute = traffic.filter((exchange) => exchange.status === 404 && exchange.responseBody.includes('No Route'));
    expect(noRoute.length).toBeGreaterThan(0);
    const onDelete = noRoute.filter((exchange) => exchange.method === 'DELETE');
    expect(onDelete.length).toBeGreaterThan(0);
    expect(findingsOf(onDelete).filter((finding) => finding.side === 'response')).toEqual([]);
  });
});

describe('the check itself', () => {
  const exchange = (changes: Partial<Exchange>): Exchange => ({
    method: 'GET',
    target: '/api/2/users?fields=id,email',
    requestHeaders: { authorization: 'Bearer abc' },
    requestBody: '',
    status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
    responseBody: '[{"id":1,"email":"a@example.com"}]',
    ...changes,
  });

  test('passes a conforming exchange', () => {
    expect(findingsOf([exchange({})])).toEqual([]);
  });

  test.each([
    ['an undeclared query parameter', { target: '/api/2/users?emial=a@example.com' }, 'undeclared-parameter'],
    ['a non-integer limit', { target: '/api/2/users?limit=ten' }, 'parameter-schema'],
    ['a missing bearer token', { requestHeaders: {} }, 'credentials'],
    ['a user id that is a string', { responseBody: '[{"id":"1"}]' }, 'response-schema'],
    ['an object where the document says array', { responseBody: '{"data":[]}' }, 'response-schema'],
    ['an unlisted status', { status: 503 }, 'undocumented-status'],
    ['an unknown operation', { target: '/api/2/userz' }, 'unknown-operation'],
  ] as const)('flags %s', (_name, changes, kind) => {
    expect(findingsOf([exchange(changes)]).map((finding) => finding.kind)).toContain(kind);
  });

  test('a null in a property no deviation names is not explained', () => {
    const findings = findingsOf([exchange({ responseBody: '[{"id":1,"invalid_login_attempts":null}]' })]);
    expect(findings.map((finding) => finding.kind)).toEqual(['null-value']);
    expect(REVIEWED_DEVIATIONS.some((deviation) => explains(deviation, findings[0]!))).toBe(false);
  });
});
