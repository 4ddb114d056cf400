// Starts a named Step Functions execution; a name already used is reported, not thrown, so a repeated event is harmless.
import type { SFNClient } from '@aws-sdk/client-sfn';
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';

export async function startNamedExecution(
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<'started' | 'duplicate'> {
  try {
    // Same name and same input while the execution runs is answered with success by Step Functions itself.
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists || (error as { name?: unknown }).name === 'ExecutionAlreadyExists')
      return 'duplicate';
    throw error;
  }
}
