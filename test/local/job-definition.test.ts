// The ASL the local stand-in runs is the deployed workflow: identical to a fresh synth from lib/, valid ASL, and made
// only of what the interpreter runs.
import { readFileSync } from 'node:fs';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { unsupportedParts } from '../../lambda/local/asl-support.ts';
import { JOB_FUNCTION_ARNS, jobDefinition } from '../../lambda/local/job-definition.ts';
import { defaultJobAsl, JOB_ASL_FILE } from '../../lib/job-asl-file.ts';
import { synthStack } from '../cdk/synth-helpers.ts';

describe('the job definition the local Step Functions runs', () => {
  it('is identical to a fresh synth of lib/ (run `npm run asl` after changing the workflow)', () => {
    expect(readFileSync(JOB_ASL_FILE, 'utf8')).toBe(defaultJobAsl());
  });

  it('is the deployed state machine, up to the function ARNs', () => {
    const { template } = synthStack();
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(1);
    const parts = (machines[0]!.Properties.DefinitionString['Fn::Join'] as [string, unknown[]])[1];
    // The deployed definition names its functions by GetAtt; in their place the local file names fixed ARNs.
    const deployed = parts
      .map((part) => {
        if (typeof part === 'string') return part;
        const [logicalId] = (part as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
        return logicalId.includes('Finalize') ? JOB_FUNCTION_ARNS.finalize : JOB_FUNCTION_ARNS.step;
      })
      .join('');
    expect(JSON.parse(deployed)).toEqual(jobDefinition());
  });

  it('passes asl-validator', () => {
    const result = validator(jobDefinition());
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses only states, fields, paths and operators the interpreter runs', () => {
    expect(unsupportedParts(jobDefinition())).toEqual([]);
  });

  it('is refused when it uses something the interpreter does not run', () => {
    const definition = jobDefinition();
    const changed = {
      ...definition,
      States: {
        ...definition.States,
        Extra: { Type: 'Map', End: true } as never,
        Failed: { Type: 'Fail', ErrorPath: '$.x' } as never,
      },
    };
    expect(unsupportedParts(changed)).toEqual([
      'Failed: field ErrorPath is not supported on a Fail',
      'Extra: state type Map is not supported',
    ]);
  });
});
