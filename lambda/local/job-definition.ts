// The job workflow the stack deploys, as ASL: the file `npm run asl` writes from lib/ (a test keeps it identical to a
// fresh synth), and the function ARNs its Task states name.
import { readFileSync } from 'node:fs';
import { JOB_FUNCTION_ARNS } from '../../lib/job-function-arns.ts';
import type { AslDefinition } from './asl-types.ts';

export { JOB_FUNCTION_ARNS };

export function jobDefinition(): AslDefinition {
  return JSON.parse(readFileSync(new URL('./job-state-machine.asl.json', import.meta.url), 'utf8')) as AslDefinition;
}
