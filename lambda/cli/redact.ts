// Last line of defence: whatever the CLI prints passes through here, so a secret can never reach the terminal or a log.

const MIN_SECRET_LENGTH = 4;

export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const hidden = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (hidden.length === 0) return (text) => text;
  return (text) => hidden.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}
