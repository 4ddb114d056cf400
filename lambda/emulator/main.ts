// `npm run emulator`: a standalone OneLogin emulator with a generated tenant, for demos and manual tries.
import { EMULATOR_USAGE, type EmulatorCliSettings, parseEmulatorArgs } from './emulator-cli-args.ts';
import { createOneLoginEmulator } from './onelogin-emulator.ts';

let settings: EmulatorCliSettings;
try {
  settings = parseEmulatorArgs(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error(EMULATOR_USAGE);
  process.exit(2);
}

if (settings.help) {
  console.log(EMULATOR_USAGE);
  process.exit(0);
}

const emulator = await createOneLoginEmulator({
  clientId: settings.clientId,
  clientSecret: settings.clientSecret,
  tenant: { seed: settings.seed, count: settings.users },
  rateLimit: settings.rateLimit,
  listIncludesCustomAttributes: settings.listIncludesCustomAttributes,
  host: settings.host,
  port: settings.port,
});

console.log(`OneLogin emulator listening on ${emulator.url}`);
console.log(`  users: ${settings.users} (seed ${settings.seed})`);
console.log(
  `  rate limit: ${settings.rateLimit ? `${settings.rateLimit.limit} calls / ${settings.rateLimit.windowSeconds} s` : 'off'}`,
);
console.log(
  `  list items carry custom_attributes and role_ids: ${settings.listIncludesCustomAttributes ? 'yes' : 'no'}`,
);
console.log(`  client id: ${settings.clientId}`);
if (settings.secretGenerated) {
  // A throwaway secret for a loopback emulator; printing it once is the point of the demo.
  console.log(`  client secret (demo only, regenerated each start): ${settings.clientSecret}`);
} else {
  console.log('  client secret: as given with --client-secret');
}
console.log(`  try: onelogin-bulk-delete --api-url ${emulator.url} …   (Ctrl-C to stop)`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
