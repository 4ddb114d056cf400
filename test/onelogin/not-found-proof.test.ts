// Which 404 bodies prove that a user is gone: only those that name the missing user or resource.
import { describe, expect, test } from 'vitest';
import { saysUserNotFound } from '../../lambda/onelogin/not-found-proof.ts';

describe('saysUserNotFound', () => {
  test.each([
    [
      'v2 NotFoundError',
      { message: 'The resource with the given id could not be found', name: 'NotFoundError', statusCode: 404 },
    ],
    ['v1 envelope', { status: { error: true, code: 404, type: 'not found', message: 'User not found' } }],
  ])('accepts %s', (_name, body) => {
    expect(saysUserNotFound(JSON.stringify(body))).toBe(true);
  });

  test.each([
    ['the OpenAPI document example', { error: true, code: 404, type: 'Not Found', message: 'No Route Exists' }],
    ['the v1 route envelope', { status: { error: true, code: 404, type: 'not found', message: 'No Route Exists' } }],
    [
      'a NotFoundError about the request URI',
      {
        statusCode: 404,
        name: 'NotFoundError',
        message: "The resource can't be found or the server has not found anything matching the Request-URI",
      },
    ],
    ['a bare gateway message', { message: 'Not Found' }],
    ['nulls', { message: null, name: null, statusCode: 404 }],
  ])('refuses %s', (_name, body) => {
    expect(saysUserNotFound(JSON.stringify(body))).toBe(false);
  });

  test('refuses an HTML page and an empty body', () => {
    expect(saysUserNotFound('<html><title>404 Not Found</title></html>')).toBe(false);
    expect(saysUserNotFound('')).toBe(false);
  });
});
