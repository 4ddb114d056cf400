// CDK app of the real-AWS integration test: deployed by run-integ.ts, synthesized offline in CI.
//   npx cdk synth --app 'npx tsx test/integ/integ-app.ts'
import { App } from 'aws-cdk-lib';
import { buildIntegApp } from './integ-stack.ts';

const app = new App();
buildIntegApp(app);
app.synth();
