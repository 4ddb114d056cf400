// CDK app entry (`npx tsx bin/app.ts`, see cdk.json). The cdk-nag AwsSolutions checks always run: any
// unacknowledged finding fails `cdk synth`.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OneLoginBulkDeleteStack } from '../lib/onelogin-bulk-delete-stack.ts';

const app = new App();
new OneLoginBulkDeleteStack(app, 'OneLoginBulkDelete', {
  description: 'onelogin-bulk-delete: CSV upload to S3 deletes the listed OneLogin users, with a report for every row',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
