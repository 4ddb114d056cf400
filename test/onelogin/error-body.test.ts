import { expect, test } from 'vitest';
import { describeErrorBody } from '../../lambda/onelogin/error-body.ts';

test.each([
  [
    'v1 envelope',
    '{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}',
    'Unauthorized: Authentication Failure',
  ],
  [
    'v1 envelope with an object message',
    '{"status":{"error":true,"code":400,"type":"bad request","message":{"attribute":"id","description":"ID is incorrect"}}}',
    'bad request: id: ID is incorrect',
  ],
  [
    'v2 style',
    '{"message":"The resource with the given id could not be found","name":"NotFoundError","statusCode":404}',
    'NotFoundError: The resource with the given id could not be found',
  ],
  [
    'newer v2 style',
    '{"status":400,"error":"BadRequestError","description":"Invalid pagination cursor"}',
    'BadRequestError: Invalid pagination cursor',
  ],
  [
    'OAS style',
    '{"error":true,"code":400,"type":"bad request","message":"grant_type is incorrect/absent"}',
    'grant_type is incorrect/absent',
  ],
  [
    'HTML page',
    '<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>',
    '429 Too Many Requests',
  ],
  ['HTML without title', '<body><h1>Bad\nGateway</h1><script>x()</script></body>', 'Bad Gateway'],
  ['plain text', 'upstream connect error', 'upstream connect error'],
  ['JSON-looking text that is not JSON', '{oops', '{oops'],
  ['empty body', '   ', ''],
])('%s', (_name, body, expected) => {
  expect(describeErrorBody(body, undefined)).toBe(expected);
});

test('long bodies are clipped to one short line', () => {
  const detail = describeErrorBody('x'.repeat(5000), 'text/plain');
  expect(detail.length).toBeLessThanOrEqual(200);
});
