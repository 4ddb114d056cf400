// Which change operation a live run's action uses: the one place that maps an action to what is done to each user.
import type { ChangeOperation } from './change-operation.ts';
import { deleteOperation } from './delete-operation.ts';
import type { Action } from './outcomes.ts';
import { restoreOperation } from './restore/restore-operation.ts';
import { suspendOperation } from './suspend-operation.ts';

const OPERATIONS: Readonly<Record<Action, ChangeOperation>> = {
  delete: deleteOperation,
  suspend: suspendOperation,
  restore: restoreOperation,
};

export function operationFor(action: Action = 'delete'): ChangeOperation {
  return OPERATIONS[action];
}
