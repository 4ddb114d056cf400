// A NodejsFunction with the project's runtime, bundling, tracing and logging conventions, and a role that
// holds only what the caller grants plus write access to the function's own log group.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: lib/ sits one level below it. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** ESM output cannot `require`; some bundled CommonJS dependencies still do, so give them one. */
const CREATE_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  // Bundle the pinned AWS SDK instead of the runtime's copy: the code runs with the version it was tested with.
  externalModules: [],
} satisfies BundlingOptions;

export interface BundledFunctionProps {
  /** Path of the handler entry file relative to the project root, e.g. `lambda/handlers/step.ts`. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetention: logs.RetentionDays;
  /** Root that holds `entry` and the lock file; defaults to this repository. */
  readonly projectRoot?: string;
  readonly onFailure?: lambda.IDestination;
  readonly retryAttempts?: number;
}

export class BundledFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The caller's permissions go here, apart from the policy CDK fills for tracing and destinations. */
  readonly accessPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    const lockFile = join(projectRoot, 'package-lock.json');
    if (!existsSync(lockFile)) {
      throw new Error(`BundledFunction: no package-lock.json in ${projectRoot}; pass projectRoot.`);
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = this.createRole(props.description);
    this.accessPolicy = new iam.Policy(this, 'AccessPolicy');
    this.role.attachInlinePolicy(this.accessPolicy);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, props.entry),
      handler: 'handler',
      description: props.description,
      projectRoot,
      depsLockFilePath: lockFile,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      onFailure: props.onFailure,
      retryAttempts: props.retryAttempts,
      bundling: BUNDLING,
    });

    // Tracing (and an async destination) add statements to the role's default policy; only the X-Ray one is a wildcard.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by Tracing.ACTIVE) use Resource "*": X-Ray has no resource-level permissions. All other statements of this role name exact resources.',
    });
  }

  /** Replaces AWSLambdaBasicExecutionRole: the log group exists already, so only stream and event writes. */
  private createRole(description: string): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${description} (execution role)`,
    });
    role.attachInlinePolicy(
      new iam.Policy(this, 'LogsPolicy', {
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [this.logGroup.logGroupArn],
          }),
        ],
      }),
    );
    return role;
  }
}
