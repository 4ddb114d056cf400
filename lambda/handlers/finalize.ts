// Lambda entry of the finalize function (lib/ bundles this file).
import { awsDeps } from './aws-deps.ts';
import { createFinalizeHandler } from './finalize-handler.ts';

export const handler = createFinalizeHandler(awsDeps());
