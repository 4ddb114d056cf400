// Choice rules: the comparison operators the local stand-in knows, evaluated against a state's input.
import { readPath } from './asl-paths.ts';
import type { AslChoiceRule } from './asl-types.ts';

export const CHOICE_OPERATORS = [
  'BooleanEquals',
  'IsPresent',
  'StringEquals',
  'NumericEquals',
  'NumericGreaterThan',
  'NumericLessThan',
] as const;

export function ruleMatches(rule: AslChoiceRule, data: unknown): boolean {
  if (rule.And !== undefined) return rule.And.every((inner) => ruleMatches(inner, data));
  if (rule.Or !== undefined) return rule.Or.some((inner) => ruleMatches(inner, data));
  if (rule.Not !== undefined) return !ruleMatches(rule.Not, data);
  if (rule.Variable === undefined) throw new Error('a choice rule has no Variable');
  const { found, value } = readPath(data, rule.Variable);
  if (rule.IsPresent !== undefined) return found === rule.IsPresent;
  // A comparison against a missing field is a runtime error on AWS (States.Runtime).
  if (!found) throw new Error(`choice variable ${rule.Variable} is not present`);
  if (rule.BooleanEquals !== undefined) return value === rule.BooleanEquals;
  if (rule.StringEquals !== undefined) return value === rule.StringEquals;
  if (typeof value !== 'number') return false;
  if (rule.NumericEquals !== undefined) return value === rule.NumericEquals;
  if (rule.NumericGreaterThan !== undefined) return value > rule.NumericGreaterThan;
  if (rule.NumericLessThan !== undefined) return value < rule.NumericLessThan;
  throw new Error(`choice rule on ${rule.Variable} has no supported operator`);
}
