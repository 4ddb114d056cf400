// Lambda entry of the on-upload function (lib/ bundles this file).
import { awsOnUploadDeps } from './aws-deps.ts';
import { createOnUploadHandler } from './on-upload-handler.ts';

export const handler = createOnUploadHandler(awsOnUploadDeps());
