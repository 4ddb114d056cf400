// Which change operation a live run's action uses: the one place that maps an action to what is done to each user.
import type { ChangeOperation } from './change-operation.ts';
import { deleteOperation } from './delete-operation.ts';
import type { Action } from './outcomes.ts';
import { restoreOperation } from './restore/restore-operation.ts';

const OPERATIONS: Partial<Record<Action, ChangeOperation>> = {
  delete: deleteOperation,
  restore: restoreOperation,
};

export function operationFor(action: Action = 'delete'): ChangeOperation {
  const operation = OPERATIONS[action];
  if (operation === undefined) throw new Error(`internal: no change operation registered for action '${action}'`);
  return operation;
}
