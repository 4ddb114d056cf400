#!/usr/bin/env node
// In a clone: runs the TypeScript entry through tsx (a devDependency), so the tests and `node bin/…` need no build.
// The installed command is dist/cli.mjs, built by `npm run build` and run by plain Node.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
