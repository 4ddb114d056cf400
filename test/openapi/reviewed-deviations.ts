// Where the emulator (and the client) deliberately differ from OneLogin's OpenAPI document, case by case, each with its
// reason. The conformance test fails on a finding none of these explains, and on an entry no traffic shows any more.
// Sources are those of docs/onelogin-api-notes.md.
import type { Finding, FindingKind } from './traffic-check.ts';

export interface Deviation {
  name: string;
  /** Operation keys (`GET /api/2/users`), or every operation. */
  operations: readonly string[] | 'any';
  statuses?: readonly number[];
  side: Finding['side'];
  kinds: readonly FindingKind[];
  /** For null values: the properties allowed to be null (the last part of the finding's pointer). */
  fields?: readonly string[];
  reason: string;
}

const USER_OPERATIONS = [
  'GET /api/2/users',
  'GET /api/2/users/{user_id}',
  'POST /api/2/users',
  'PUT /api/2/users/{user_id}',
];

/** Every property of the user object that OneLogin's own GET user sample answers as null when it is empty. */
const NULLABLE_USER_FIELDS = [
  'username',
  'email',
  'firstname',
  'lastname',
  'title',
  'department',
  'company',
  'comment',
  'group_id',
  'phone',
  'directory_id',
  'trusted_idp_id',
  'manager_ad_id',
  'manager_user_id',
  'samaccountname',
  'member_of',
  'userprincipalname',
  'distinguished_name',
  'external_id',
  'activated_at',
  'last_login',
  'invitation_sent_at',
  'preferred_locale_code',
  'locked_until',
  'password_changed_at',
];

export const REVIEWED_DEVIATIONS: readonly Deviation[] = [
  {
    name: 'null user properties',
    operations: USER_OPERATIONS,
    side: 'response',
    kinds: ['null-value'],
    fields: NULLABLE_USER_FIELDS,
    reason:
      'The document types these properties as strings or integers, but OneLogin answers GET user with every field and null for the empty ones (developer docs, Get User sample); the Python SDK 3.2.7–3.2.9 changelog records fields that come back null despite the spec. The client reads null as "none" everywhere.',
  },
  {
    name: 'v1 status envelope on the token endpoint',
    operations: ['POST /auth/oauth2/v2/token'],
    statuses: [401],
    side: 'response',
    kinds: ['response-schema'],
    reason:
      'Recorded OneLogin traffic (JupiterOne HAR captures) answers bad client credentials with {"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}, not the flat Error object of the document.',
  },
  {
    name: 'v2 error bodies {message,name,statusCode}',
    operations: [
      'GET /api/2/users',
      'GET /api/2/users/{user_id}',
      'PUT /api/2/users/{user_id}',
      'DELETE /api/2/users/{user_id}',
      'POST /api/2/users',
    ],
    statuses: [401, 404, 422],
    side: 'response',
    kinds: ['response-schema'],
    reason:
      'OneLogin\'s v2 developer docs show 401 {"message":"Unauthorized","name":"UnauthorizedError","statusCode":401}, 404 NotFoundError and 422 UnprocessableEntityError bodies (the document\'s own altErr schema, which it uses for the roles routes), not its Error object; the 404 NotFoundError body is what lets a DELETE end already-absent.',
  },
  {
    name: '401 on GET user is not listed',
    operations: ['GET /api/2/users/{user_id}'],
    statuses: [401],
    side: 'response',
    kinds: ['undocumented-status'],
    reason:
      "The document lists only 200, 400 and 404 for GET /api/2/users/{user_id}; OneLogin's Get User page documents the 401 an expired or invalidated token gets, which the client answers with a new token.",
  },
  {
    name: 'v2 400 {status,error,description}',
    operations: ['GET /api/2/users'],
    statuses: [400],
    side: 'response',
    kinds: ['response-schema'],
    reason:
      'Real curl output in the Terraform provider\'s issues #196 and #203 (2025–26): {"status":400,"error":"BadRequestError","description":"Invalid pagination cursor"}.',
  },
  {
    name: '429 is not listed',
    operations: 'any',
    statuses: [429],
    side: 'response',
    kinds: ['undocumented-status'],
    reason:
      'The document lists no 429 anywhere, yet OneLogin throttles with 429 (recorded on the token endpoint as a text/html page without Retry-After; integrators describe the v2 API as a leaky bucket). The emulator answers 429 the same way.',
  },
  {
    name: '404 "No Route Exists" where the document lists no 404',
    operations: ['GET /api/2/users'],
    statuses: [404],
    side: 'response',
    kinds: ['undocumented-status'],
    reason:
      'The noRoute switch plays a wrong base path, which answers 404 "No Route Exists" (the document\'s own 404 example) to every call, including the listing whose responses list no 404. The client must treat it as a misconfiguration, not an empty answer.',
  },
  {
    name: 'DELETE role users takes a bare array',
    operations: ['DELETE /api/2/roles/{role_id}/users'],
    side: 'request',
    kinds: ['request-body'],
    reason:
      'The document says {"user_id":[…]}, but OneLogin answers "Expected array in request" to that (Python SDK 4.0.1 changelog) and its docs send a bare array, as POST does; the emulator accepts what OneLogin accepts.',
  },
  {
    name: 'limit 1000 on the first listing page',
    operations: ['GET /api/2/users'],
    side: 'request',
    kinds: ['parameter-over-described-max'],
    reason:
      'The parameter\'s description says "max 100" (its schema has no maximum). The client asks for 1000 first, which serves a whole-account listing in a tenth of the calls where the server grants it; a server that refuses (400/422) costs one retry with 100, learned for the rest of the run (test/onelogin/openapi-tolerance.test.ts).',
  },
  {
    name: 'v1 status envelope on the v1 user routes',
    operations: ['GET /api/1/users/{user_id}/roles', 'PUT /api/1/users/{user_id}/logout'],
    statuses: [200, 404],
    side: 'response',
    kinds: ['response-schema'],
    reason:
      'The document gives these routes its flat Error object; OneLogin\'s v1 pages and recorded v1 traffic (JupiterOne HARs, Delete User v1) answer the {"status":{"error","code","type","message"}} envelope, on success as on a missing user ("User not found"). The client reads both, and a 404 counts as a missing user only when its body names the user.',
  },
  {
    name: '404 for an unknown role on POST role users is not listed',
    operations: ['POST /api/2/roles/{role_id}/users'],
    statuses: [404],
    side: 'response',
    kinds: ['undocumented-status'],
    reason:
      'The document lists 404 NotFoundError for an unknown role on GET and DELETE of the same path but only 401 and 422 for POST; the emulator answers an unknown role the same way on all three, and the client treats it as an error, never as an assignment made.',
  },
];

export function explains(deviation: Deviation, finding: Finding): boolean {
  if (deviation.operations !== 'any' && !deviation.operations.includes(finding.operation)) return false;
  if (deviation.statuses !== undefined && !deviation.statuses.includes(finding.status)) return false;
  if (deviation.side !== finding.side || !deviation.kinds.includes(finding.kind)) return false;
  if (deviation.fields === undefined) return true;
  return deviation.fields.includes(finding.at.split('/').at(-1) ?? '');
}
