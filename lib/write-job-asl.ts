// `npm run asl`: writes the job workflow's ASL (synthesized from lib/, with the construct's default settings) to the
// file the local Step Functions stand-in runs. A test fails when the file differs from a fresh synth.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultJobAsl, JOB_ASL_FILE } from './job-asl-file.ts';

const target = fileURLToPath(JOB_ASL_FILE);
writeFileSync(target, defaultJobAsl());
console.log(`wrote ${target}`);
