// The part of the Amazon States Language the local stand-in runs: the states, choice rules, retries and catches the
// job workflow uses (lib/job-state-machine.ts). Anything else is refused by asl-support.ts before a run starts.

export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface AslCatcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

interface AslTransition {
  Next?: string;
  End?: boolean;
  Comment?: string;
}

export interface AslTask extends AslTransition {
  Type: 'Task';
  Resource: string;
  ResultPath?: string | null;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
}

export interface AslChoiceRule {
  Next?: string;
  Variable?: string;
  BooleanEquals?: boolean;
  IsPresent?: boolean;
  StringEquals?: string;
  NumericEquals?: number;
  NumericGreaterThan?: number;
  NumericLessThan?: number;
  And?: AslChoiceRule[];
  Or?: AslChoiceRule[];
  Not?: AslChoiceRule;
}

export interface AslChoice {
  Type: 'Choice';
  Choices: AslChoiceRule[];
  Default?: string;
  Comment?: string;
}

export interface AslWait extends AslTransition {
  Type: 'Wait';
  Seconds?: number;
  SecondsPath?: string;
}

export interface AslPass extends AslTransition {
  Type: 'Pass';
  Result?: unknown;
  ResultPath?: string | null;
}

export interface AslSucceed {
  Type: 'Succeed';
  Comment?: string;
}

export interface AslFail {
  Type: 'Fail';
  Error?: string;
  Cause?: string;
  Comment?: string;
}

export type AslState = AslTask | AslChoice | AslWait | AslPass | AslSucceed | AslFail;

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  Comment?: string;
}
