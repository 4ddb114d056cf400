// OneLogin's OpenAPI document (test/fixtures/openapi, see its PROVENANCE.md), its operations and JSON-schema validators.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import YAML from 'yaml';

export const DOCUMENT_PATH = fileURLToPath(
  new URL('../fixtures/openapi/onelogin-openapi-3.1.1.patched.yaml', import.meta.url),
);

type Json = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: Json;
}

export interface Operation {
  /** e.g. `GET /api/2/users/{user_id}` */
  key: string;
  template: string;
  method: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Json }> };
  responses: Record<string, { content?: Record<string, { schema?: Json }>; headers?: Record<string, Json> }>;
  security?: Array<Record<string, string[]>>;
  /** Path parameters in template order, and the matcher that reads them. */
  pattern: RegExp;
  pathNames: string[];
}

/** The OpenAPI 3.0 document read once, with an Ajv instance that resolves its `#/components/...` references. */
export class OpenApiDocument {
  readonly raw: Json;
  readonly operations: Operation[];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(text: string) {
    this.raw = YAML.parse(text) as Json;
    // OpenAPI 3.0 schemas are a JSON-schema dialect: `nullable`, `example`, `format: int32` are not draft-07 keywords.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
    (formats as unknown as { default: (ajv: Ajv) => void }).default(this.ajv);
    for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password'])
      this.ajv.addFormat(format, true);
    this.ajv.addSchema({ ...this.raw, $id: 'onelogin-openapi' });
    this.operations = readOperations(this.raw, (ref) => this.resolve(ref));
  }

  /** The operation a method and a concrete path belong to (literal templates before ones with parameters). */
  operationFor(method: string, path: string): Operation | undefined {
    const candidates = this.operations.filter((op) => op.method === method.toUpperCase() && op.pattern.test(path));
    return candidates.sort((a, b) => a.pathNames.length - b.pathNames.length)[0];
  }

  /** Validates `value` against a schema of the document; undefined when valid. */
  validate(schema: Json, value: unknown): ErrorObject[] | undefined {
    const key = JSON.stringify(schema);
    let validator = this.compiled.get(key);
    if (validator === undefined) {
      validator = this.ajv.compile({ $id: `schema-${this.compiled.size}`, ...relativeRefs(schema) });
      this.compiled.set(key, validator);
    }
    return validator(value) ? undefined : (validator.errors ?? []);
  }

  resolve(ref: string): Json {
    let node: unknown = this.raw;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json)[part.replace(/~1/g, '/')];
    return node as Json;
  }
}

export function loadOpenApiDocument(): OpenApiDocument {
  return new OpenApiDocument(readFileSync(DOCUMENT_PATH, 'utf8'));
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function readOperations(raw: Json, resolve: (ref: string) => Json): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(raw.paths as Record<string, Json>)) {
    const shared = (item.parameters as Json[] | undefined) ?? [];
    const pathNames = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op === undefined) continue;
      const parameters = [...shared, ...((op.parameters as Json[] | undefined) ?? [])].map((parameter) =>
        typeof parameter.$ref === 'string' ? resolve(parameter.$ref) : parameter,
      ) as unknown as Parameter[];
      const operation: Operation = {
        key: `${method.toUpperCase()} ${template}`,
        template,
        method: method.toUpperCase(),
        parameters,
        responses: op.responses as Operation['responses'],
        pattern,
        pathNames,
      };
      if (op.requestBody !== undefined) operation.requestBody = op.requestBody as Operation['requestBody'] & object;
      if (op.security !== undefined) operation.security = op.security as Operation['security'] & object;
      operations.push(operation);
    }
  }
  return operations;
}

/** `#/components/...` inside a schema taken out of the document points back into the document. */
function relativeRefs(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"onelogin-openapi#/')) as Json;
}
