// Under Node 24: the integ stack's OneLogin emulator bundle (lambda/emulator/function-url-handler.ts as `cdk synth`
// built it), invoked with function URL events as the Lambda service would: a token, a page of users, the stats route.
// Its secret comes from the fake Secrets Manager that run-pipeline.ts runs under Node 20.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`run-emulator-bundle: ${name} is not set`);
  return value;
}

function functionUrlEvent(method, path, headers, body) {
  const [rawPath, rawQueryString = ''] = path.split('?');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { 'x-forwarded-proto': 'https', ...headers },
    ...(body === undefined ? {} : { body: Buffer.from(body).toString('base64') }),
    isBase64Encoded: body !== undefined,
    requestContext: {
      domainName: 'emulator.lambda-url.eu-west-1.on.aws',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'node24-check' },
      requestId: 'node24',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}

assert.equal(Number(process.versions.node.split('.')[0]), 24, `must run under Node 24, not ${process.version}`);
const { handler } = await import(pathToFileURL(required('BUNDLE_EMULATOR')).href);
const clientId = required('EMULATOR_CLIENT_ID');
const clientSecret = required('EMULATOR_CLIENT_SECRET');

const token = await handler(
  functionUrlEvent(
    'POST',
    '/auth/oauth2/v2/token',
    { authorization: `client_id:${clientId}, client_secret:${clientSecret}`, 'content-type': 'application/json' },
    JSON.stringify({ grant_type: 'client_credentials' }),
  ),
);
assert.equal(token.statusCode, 200, `token: ${token.statusCode} ${token.body}`);
const accessToken = JSON.parse(token.body).access_token;

const page = await handler(functionUrlEvent('GET', '/api/2/users?limit=5', { authorization: `Bearer ${accessToken}` }));
assert.equal(page.statusCode, 200);
assert.equal(JSON.parse(page.body).length, 5);
assert.match(page.headers.link, /<https:\/\/emulator\.lambda-url\.eu-west-1\.on\.aws\/api\/2\/users\?/);

const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
const stats = await handler(functionUrlEvent('GET', '/__emulator/stats', { authorization: basic }));
assert.equal(stats.statusCode, 200);
assert.equal(JSON.parse(stats.body).userCount, Number(required('EXPECTED_USER_COUNT')));
const refused = await handler(functionUrlEvent('GET', '/__emulator/stats', { authorization: 'Basic eDp5' }));
assert.equal(refused.statusCode, 401);
console.log(`emulator bundle answered under ${process.version}`);
process.exit(0);
