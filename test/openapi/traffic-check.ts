// Checks one recorded exchange against the OpenAPI document: the request the client sent (operation, parameters,
// body, credentials) and the answer the server gave (a listed status, a body of its schema).
import type { ErrorObject } from 'ajv';
import type { OpenApiDocument, Operation } from './openapi-document.ts';

export interface Exchange {
  method: string;
  /** Raw request target: path and query. */
  target: string;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody: string;
  status: number;
  responseHeaders: Record<string, string | string[] | undefined>;
  responseBody: string;
}

export type FindingKind =
  | 'unknown-operation'
  | 'undeclared-parameter'
  | 'missing-parameter'
  | 'parameter-schema'
  /** A value above the maximum the parameter's description states ("max 100"), which its schema does not enforce. */
  | 'parameter-over-described-max'
  | 'request-body'
  | 'credentials'
  | 'undocumented-status'
  | 'response-media-type'
  | 'response-schema'
  /** A property the document types (string, integer…) arrived as null. */
  | 'null-value';

export interface Finding {
  /** `GET /api/2/users`, the document's operation key, or the raw method and path when none matches. */
  operation: string;
  status: number;
  side: 'request' | 'response';
  kind: FindingKind;
  /** The parameter name, or the JSON pointer of a body value (array indexes as `*`). */
  at: string;
  detail: string;
}

export function checkExchange(document: OpenApiDocument, exchange: Exchange): Finding[] {
  const url = new URL(exchange.target, 'http://recorded');
  const operation = document.operationFor(exchange.method, url.pathname);
  if (operation === undefined) {
    const where = `${exchange.method} ${url.pathname}`;
    return [
      finding(where, exchange, 'request', 'unknown-operation', url.pathname, 'no such operation in the document'),
    ];
  }
  return [...checkRequest(document, operation, exchange, url), ...checkResponse(document, operation, exchange)];
}

function finding(
  operation: string,
  exchange: Exchange,
  side: Finding['side'],
  kind: FindingKind,
  at: string,
  detail: string,
): Finding {
  return { operation, status: exchange.status, side, kind, at, detail };
}

function checkRequest(document: OpenApiDocument, operation: Operation, exchange: Exchange, url: URL): Finding[] {
  const found: Finding[] = [];
  const add = (kind: FindingKind, at: string, detail: string) =>
    found.push(finding(operation.key, exchange, 'request', kind, at, detail));
  const pathValues = operation.pattern.exec(url.pathname)?.slice(1) ?? [];
  const given = new Map<string, string>();
  for (const [index, name] of operation.pathNames.entries())
    given.set(`path:${name}`, decodeURIComponent(pathValues[index] ?? ''));
  for (const [name, value] of url.searchParams) given.set(`query:${name}`, value);
  for (const parameter of operation.parameters.filter((p) => p.in === 'path' || p.in === 'query')) {
    const value = given.get(`${parameter.in}:${parameter.name}`);
    given.delete(`${parameter.in}:${parameter.name}`);
    if (value === undefined) {
      if (parameter.required === true) add('missing-parameter', parameter.name, `${parameter.in} parameter missing`);
      continue;
    }
    const schema = parameter.schema;
    const errors = schema ? document.validate(schema, coerce(document, schema, value)) : undefined;
    if (errors) add('parameter-schema', parameter.name, describe(errors));
    const describedMax = /\bmax (\d+)\b/.exec(parameter.description ?? '')?.[1];
    if (describedMax !== undefined && Number(value) > Number(describedMax))
      add('parameter-over-described-max', parameter.name, `${value} > ${describedMax}`);
  }
  for (const key of given.keys())
    add('undeclared-parameter', key.replace(/^query:/, ''), 'not a parameter of the operation');
  found.push(...checkRequestBody(document, operation, exchange));
  const credentials = checkCredentials(operation, exchange);
  if (credentials !== undefined) add('credentials', 'authorization', credentials);
  return found;
}

function checkRequestBody(document: OpenApiDocument, operation: Operation, exchange: Exchange): Finding[] {
  const add = (detail: string) => [finding(operation.key, exchange, 'request', 'request-body', '', detail)];
  const declared = operation.requestBody;
  if (exchange.requestBody === '') return declared?.required === true ? add('a required body is missing') : [];
  if (declared === undefined) return add('the operation takes no body');
  const schema = declared.content['application/json']?.schema;
  if (!String(exchange.requestHeaders['content-type'] ?? '').includes('application/json') || schema === undefined)
    return add(`content type ${String(exchange.requestHeaders['content-type'])} is not declared`);
  const errors = document.validate(schema, JSON.parse(exchange.requestBody) as unknown);
  return errors ? add(describe(errors)) : [];
}

/** basicAuth wants `Basic …`, OAuth2 a bearer token; an operation without security needs neither. */
function checkCredentials(operation: Operation, exchange: Exchange): string | undefined {
  const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return undefined;
  const authorization = String(exchange.requestHeaders.authorization ?? '');
  if (schemes.includes('basicAuth') && /^Basic \S+$/.test(authorization)) return undefined;
  if (schemes.includes('OAuth2') && /^Bearer \S+$/i.test(authorization)) return undefined;
  return `expected ${schemes.join(' or ')}`;
}

function coerce(document: OpenApiDocument, schema: Record<string, unknown>, value: string): unknown {
  const type = typeof schema.$ref === 'string' ? document.resolve(schema.$ref).type : schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'array') return value.split(',');
  return value;
}

function checkResponse(document: OpenApiDocument, operation: Operation, exchange: Exchange): Finding[] {
  const add = (kind: FindingKind, at: string, detail: string) => [
    finding(operation.key, exchange, 'response', kind, at, detail),
  ];
  const response = operation.responses[String(exchange.status)] ?? operation.responses.default;
  if (response === undefined) return add('undocumented-status', String(exchange.status), 'status not listed');
  const body = exchange.responseBody.trim();
  if (body === '') return [];
  const contentType =
    String(exchange.responseHeaders['content-type'] ?? '')
      .split(';')[0]
      ?.trim() ?? '';
  const media = response.content?.[contentType];
  if (media === undefined) return add('response-media-type', contentType, 'media type not listed for this status');
  if (media.schema === undefined) return [];
  const value = JSON.parse(body) as unknown;
  const errors = document.validate(media.schema, value) ?? [];
  return errors.map((error) => {
    const nullValue = error.keyword === 'type' && valueAt(value, error.instancePath) === null;
    return finding(
      operation.key,
      exchange,
      'response',
      nullValue ? 'null-value' : 'response-schema',
      error.instancePath.replace(/\/\d+(?=\/|$)/g, '/*'),
      `${error.instancePath} ${error.message ?? ''}`,
    );
  });
}

function valueAt(value: unknown, pointer: string): unknown {
  let node = value;
  for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

function describe(errors: ErrorObject[]): string {
  return errors.map((error) => `${error.instancePath || '(value)'} ${error.message ?? ''}`).join('; ');
}
