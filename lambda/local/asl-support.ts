// Refuses a definition that uses anything the local interpreter does not run, so a change to the deployed workflow
// cannot be silently mis-run locally: the local pipeline then fails at start, naming what is missing.
import { CHOICE_OPERATORS } from './asl-choice.ts';
import { isSimplePath } from './asl-paths.ts';
import type { AslChoiceRule, AslDefinition, AslState } from './asl-types.ts';

const STATE_FIELDS: Record<AslState['Type'], readonly string[]> = {
  Task: ['Type', 'Resource', 'Next', 'End', 'Comment', 'ResultPath', 'Retry', 'Catch'],
  Choice: ['Type', 'Choices', 'Default', 'Comment'],
  Wait: ['Type', 'Seconds', 'SecondsPath', 'Next', 'End', 'Comment'],
  Pass: ['Type', 'Result', 'ResultPath', 'Next', 'End', 'Comment'],
  Succeed: ['Type', 'Comment'],
  Fail: ['Type', 'Error', 'Cause', 'Comment'],
};
const RULE_FIELDS = new Set<string>(['Next', 'Variable', 'And', 'Or', 'Not', ...CHOICE_OPERATORS]);

/** The problems found; empty when the interpreter can run the definition as AWS would. */
export function unsupportedParts(definition: AslDefinition): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(definition.States));
  const target = (from: string, next: string | undefined) => {
    if (next !== undefined && !names.has(next)) problems.push(`${from}: Next ${next} is not a state`);
  };
  target('StartAt', definition.StartAt);
  for (const [name, state] of Object.entries(definition.States)) {
    const allowed = STATE_FIELDS[state.Type];
    if (allowed === undefined) {
      problems.push(`${name}: state type ${String(state.Type)} is not supported`);
      continue;
    }
    for (const field of Object.keys(state)) {
      if (!allowed.includes(field)) problems.push(`${name}: field ${field} is not supported on a ${state.Type}`);
    }
    problems.push(
      ...statePaths(state)
        .filter((path) => !isSimplePath(path))
        .map((path) => `${name}: path ${path}`),
    );
    for (const next of stateTargets(state)) target(name, next);
    if (state.Type === 'Choice') problems.push(...state.Choices.flatMap((rule) => ruleProblems(name, rule)));
  }
  return problems;
}

function statePaths(state: AslState): string[] {
  const paths: Array<string | null | undefined> = [];
  if (state.Type === 'Task') paths.push(state.ResultPath, ...(state.Catch ?? []).map((catcher) => catcher.ResultPath));
  if (state.Type === 'Pass') paths.push(state.ResultPath);
  if (state.Type === 'Wait') paths.push(state.SecondsPath);
  return paths.filter((path): path is string => typeof path === 'string');
}

function stateTargets(state: AslState): Array<string | undefined> {
  if (state.Type === 'Choice') return [...state.Choices.map((rule) => rule.Next), state.Default];
  if (state.Type === 'Succeed' || state.Type === 'Fail') return [];
  const catches = state.Type === 'Task' ? (state.Catch ?? []).map((catcher) => catcher.Next) : [];
  return [state.Next, ...catches];
}

function ruleProblems(name: string, rule: AslChoiceRule): string[] {
  const problems = Object.keys(rule)
    .filter((field) => !RULE_FIELDS.has(field))
    .map((field) => `${name}: choice operator ${field} is not supported`);
  if (rule.Variable !== undefined && !isSimplePath(rule.Variable)) problems.push(`${name}: path ${rule.Variable}`);
  const inner = [...(rule.And ?? []), ...(rule.Or ?? []), ...(rule.Not === undefined ? [] : [rule.Not])];
  return [...problems, ...inner.flatMap((nested) => ruleProblems(name, { ...nested, Next: undefined }))];
}

export function assertSupported(definition: AslDefinition): void {
  const problems = unsupportedParts(definition);
  if (problems.length > 0)
    throw new Error(`the local Step Functions cannot run this definition: ${problems.join('; ')}`);
}

/** The function ARNs the definition's Task states call. */
export function taskResources(definition: AslDefinition): string[] {
  return Object.values(definition.States).flatMap((state) => (state.Type === 'Task' ? [state.Resource] : []));
}
