// Builds the real stack in a throw-away output directory, with asset bundling skipped unless asked for.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { OneLoginBulkDeleteStack } from '../../lib/onelogin-bulk-delete-stack.ts';

const outdirs: string[] = [];

/**
 * `bundle` runs esbuild for real; `cfnValidation` keeps CDK's built-in CloudFormation template validation, which
 * costs about 3 s per synth (a WASM engine) and is checked once, in the cdk-nag gate test.
 */
export function newApp(
  context: Record<string, unknown> = {},
  options: { bundle?: boolean; cfnValidation?: boolean } = {},
): App {
  const outdir = mkdtempSync(join(tmpdir(), 'obd-cdk-'));
  outdirs.push(outdir);
  return new App({
    outdir,
    builtinCloudFormationValidation: options.cfnValidation ?? false,
    context: { ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
}

export function removeOutdirs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Synthesized {
  app: App;
  stack: OneLoginBulkDeleteStack;
  template: Template;
}

export function synthStack(context: Record<string, unknown> = {}): Synthesized {
  const app = newApp(context);
  const stack = new OneLoginBulkDeleteStack(app, 'TestStack');
  return { app, stack, template: Template.fromStack(stack) };
}

export function logicalId(stack: Stack, construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!CfnElement.isCfnElement(element)) throw new Error(`no CloudFormation element at ${construct.node.path}`);
  return stack.resolve(element.logicalId) as string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Renders CloudFormation values readably: {Ref: X} → X, {Fn::GetAtt: [X, Arn]} → X.Arn, Fn::Join → joined. */
export function render(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(render).join(',');
  if ('Ref' in value) return render(value.Ref);
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return getAtt.map(render).join('.');
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(render).join(join[0]);
  }
  return JSON.stringify(value);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export interface PolicyStatementJson {
  Effect: string;
  Action?: string | string[];
  Resource?: Json;
  Condition?: Json;
  Principal?: Json;
}

/** "action resource" pairs of the statements, sorted, for exact comparison. */
export function grantsOf(statements: PolicyStatementJson[]): string[] {
  const pairs: string[] = [];
  for (const statement of statements) {
    for (const action of asArray(statement.Action)) {
      for (const resource of asArray(statement.Resource as Json | Json[] | undefined)) {
        pairs.push(`${statement.Effect === 'Allow' ? '' : `${statement.Effect} `}${action} ${render(resource)}`);
      }
    }
  }
  return pairs.sort();
}

/** The state machine's ASL with every intrinsic rendered as text, so it parses as JSON. */
export function stateMachineDefinition(template: Template): AslDefinition {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const definition = (machines[0] as { Properties: { DefinitionString: Json } }).Properties.DefinitionString;
  return JSON.parse(render(definition)) as AslDefinition;
}

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, Json>;
  OutputPath?: string;
  ResultPath?: string;
  SecondsPath?: string;
  Seconds?: number;
  Choices?: Array<Record<string, Json>>;
  Default?: string;
  Retry?: Array<{ ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
}

export interface AslDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}

/** The stack's one secret (a stack without `accounts`). */
export function oneSecret(bulkDelete: { secret: IConstruct | undefined }): IConstruct {
  if (bulkDelete.secret === undefined) throw new Error('this stack has accounts, not one secret');
  return bulkDelete.secret;
}
