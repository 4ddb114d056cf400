// Parses a --protect-file: one value a line (blank lines and # comments ignored), or JSON (an array, or { "protect": [...] }).

export function parseProtectList(text: string, fileName: string): string[] {
  const content = text.replace(/^\uFEFF/, '');
  const trimmed = content.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseJsonList(trimmed, fileName);
  return content
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function parseJsonList(text: string, fileName: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName} looks like JSON but does not parse: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { protect?: unknown } | null)?.protect;
  if (!Array.isArray(list)) throw new Error(`${fileName} must hold a JSON array of values, or { "protect": [ ... ] }`);
  return list.map((item, index) => {
    if (typeof item === 'number' && Number.isSafeInteger(item) && item > 0) return String(item);
    if (typeof item === 'string' && item.trim() !== '') return item.trim();
    throw new Error(`${fileName}: item ${index + 1} is not a non-empty string or a user id`);
  });
}
