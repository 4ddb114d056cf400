// Setup file of the unit project (vitest.config.ts): a unit test starts no server and no child process.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

function refuse(what: string): never {
  throw new Error(`a unit test ${what}: list its file in INTEGRATION_TESTS in vitest.config.ts`);
}

net.Server.prototype.listen = function listen(): never {
  refuse('started a server');
};
const processStarters = ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'] as const;
for (const name of processStarters) {
  Object.assign(childProcess, { [name]: () => refuse(`started a child process (child_process.${name})`) });
}
// ESM imports of node:child_process read the named exports, which follow the default export only after this.
syncBuiltinESMExports();
