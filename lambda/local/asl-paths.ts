// Reference paths of the simple form `$` or `$.a.b` (all the job workflow uses): reading one, and placing a result at one.

const SIMPLE_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function isSimplePath(path: string): boolean {
  return SIMPLE_PATH.test(path);
}

function segments(path: string): string[] {
  if (!isSimplePath(path)) throw new Error(`unsupported path ${path}: only $ and $.field.field are supported`);
  return path === '$' ? [] : path.slice(2).split('.');
}

/** The value at `path`, or `found: false` when a field on the way is missing. */
export function readPath(data: unknown, path: string): { found: boolean; value?: unknown } {
  let value = data;
  for (const name of segments(path)) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return { found: false };
    value = (value as Record<string, unknown>)[name];
  }
  return { found: true, value };
}

/** ResultPath: null keeps the input, `$` (or none) replaces it, `$.a.b` sets that field of a copy of the input. */
export function placeResult(input: unknown, result: unknown, path: string | null | undefined): unknown {
  if (path === null) return input;
  const names = segments(path ?? '$');
  if (names.length === 0) return result;
  const root = structuredClone(typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  let target = root;
  for (const name of names.slice(0, -1)) {
    const next = target[name];
    target[name] = typeof next === 'object' && next !== null ? next : {};
    target = target[name] as Record<string, unknown>;
  }
  target[names.at(-1) as string] = result;
  return root;
}
