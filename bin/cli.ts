// The onelogin-bulk-delete command's entry: `npm run build` bundles it into dist/cli.mjs, the installed bin.
import { main } from '../lambda/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
