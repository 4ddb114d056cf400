// Lambda entry of the step function (lib/ bundles this file).
import { awsDeps } from './aws-deps.ts';
import { createStepHandler } from './step-handler.ts';

export const handler = createStepHandler(awsDeps());
