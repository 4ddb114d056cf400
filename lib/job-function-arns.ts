// The function ARNs the synthesized job ASL names in its Task states (lib/job-asl.ts); the local Step Functions
// stand-in maps each to a handler. Plain constants, so that reading them loads no CDK code.
export const JOB_FUNCTION_ARNS = {
  step: 'arn:aws:lambda:us-east-1:000000000000:function:onelogin-bulk-delete-step',
  finalize: 'arn:aws:lambda:us-east-1:000000000000:function:onelogin-bulk-delete-finalize',
} as const;
