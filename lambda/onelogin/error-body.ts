// Extracts a short human-readable detail from any of OneLogin's error bodies (three JSON styles, HTML or text).

const MAX_DETAIL = 200;

export function describeErrorBody(text: string, contentType: string | undefined): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const looksJson = (contentType ?? '').includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (looksJson) {
    try {
      const body = JSON.parse(trimmed) as unknown;
      const detail = describeJson(body);
      if (detail !== '') return clip(detail);
      // The document's fields as OneLogin's samples send them, all null: nothing to tell.
      if (isRecord(body) && Object.values(body).every((value) => value === null || typeof value === 'number'))
        return '';
    } catch {
      // not JSON after all: fall through to the text form
    }
  }
  return clip(stripMarkup(trimmed));
}

function describeJson(body: unknown): string {
  if (!isRecord(body)) return typeof body === 'string' ? body : '';
  const parts: string[] = [];
  // v1 envelope: {status:{error,code,type,message}}
  if (isRecord(body.status)) {
    parts.push(describeMessage(body.status.type), describeMessage(body.status.message));
  }
  // newer v2: {status:400, error:'BadRequestError', description}
  if (typeof body.description === 'string' || isRecord(body.description)) {
    parts.push(describeMessage(body.error), describeMessage(body.description));
  }
  // v2: {message,name,statusCode}; OAS: {error,code,type,message}
  parts.push(describeMessage(body.name), describeMessage(body.message));
  if (parts.join('') === '') {
    parts.push(describeMessage(body.type), describeMessage(body.error_description), describeMessage(body.error));
  }
  return [...new Set(parts.filter((part) => part !== ''))].join(': ');
}

function describeMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (isRecord(value)) {
    // e.g. {"attribute":"id","description":"ID is incorrect"}
    const described = [value.attribute, value.description, value.message].filter((part) => typeof part === 'string');
    if (described.length > 0) return described.join(': ');
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return value
      .map(describeMessage)
      .filter((part) => part !== '')
      .join('; ');
  return '';
}

function stripMarkup(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
  const withoutTags = (title ?? text).replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  return withoutTags.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL - 1)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
