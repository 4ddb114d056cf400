// Replaces every secret the client knows (client id and secret, the Basic header, tokens) in a text meant for an error.
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length > 0) this.secrets.add(secret);
  }

  redact(text: string): string {
    let safe = text;
    for (const secret of this.secrets) safe = safe.split(secret).join('[redacted]');
    return safe;
  }
}
