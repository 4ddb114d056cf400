// A run setting that is not acceptable: a misconfigured run must fail loudly before it starts, never run on a default.

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}
