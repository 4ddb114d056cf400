// The sha256 of the input's bytes, as a plan records it: one streaming pass over the pinned object version.
import { createHash } from 'node:crypto';
import type { InputSource } from '../engine/ports.ts';

export async function inputSha256(input: InputSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await input.open()) hash.update(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return hash.digest('hex');
}
