// Small rules shared by the command's options: blank means absent, and one value among equivalent spellings.

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The one value given among equivalent spellings (a flag and its old-form key); both given is an error. */
export function pickOne(
  what: string,
  candidates: Array<[string, string | undefined]>,
  errors: string[],
): string | undefined {
  const given = candidates.filter((candidate): candidate is [string, string] => candidate[1] !== undefined);
  if (given.length > 1) {
    errors.push(`${what} was given twice (${given.map(([name]) => name).join(' and ')}); give it once`);
    return undefined;
  }
  const first = given[0];
  if (!first) return undefined;
  const value = first[1].trim();
  if (value === '') {
    errors.push(`${first[0]} needs a value`);
    return undefined;
  }
  return value;
}
