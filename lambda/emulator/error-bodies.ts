// OneLogin's error-body styles (docs/onelogin-api-notes.md): the v1 `status` envelope, the v2
// `{message,name,statusCode}` (the OpenAPI document's altErr) and the newer v2 400 `{status,error,description}`.

export const SUCCESS_STATUS = { error: false, code: 200, type: 'success', message: 'Success' };

export function v1Status(code: number, type: string, message: unknown): { status: unknown } {
  return { status: { error: true, code, type, message } };
}

export function v2BadRequest(description: string): unknown {
  return { status: 400, error: 'BadRequestError', description };
}

export function v2Unprocessable(message: string): unknown {
  return { message, name: 'UnprocessableEntityError', statusCode: 422 };
}

export const V2_UNAUTHORIZED = { message: 'Unauthorized', name: 'UnauthorizedError', statusCode: 401 };

export const V2_NOT_FOUND = {
  message: 'The resource with the given id could not be found',
  name: 'NotFoundError',
  statusCode: 404,
};

export const V1_NO_ROUTE = v1Status(404, 'not found', 'No Route Exists');
/** The OpenAPI document's 404 example (its `Error` schema), which a wrong base path answers to every call. */
export const DOCUMENTED_NO_ROUTE = { error: true, code: 404, type: 'Not Found', message: 'No Route Exists' };
export const V1_USER_NOT_FOUND = v1Status(404, 'not found', 'User not found');

export const TOO_MANY_REQUESTS_HTML =
  '<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>';
