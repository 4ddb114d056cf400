// Carrying out a fault the plan drew for a request: a 5xx, a dropped connection or a delay.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.ts';
import type { Fault } from './fault-plan.ts';
import { send5xx } from './http-replies.ts';

/** Applies a fault decided before the request is served; true when the request was answered or dropped. */
export async function applyFault(
  state: EmulatorState,
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  switch (fault.kind) {
    case 'error5xx':
      state.stats.faultsInjected.error5xx += 1;
      send5xx(res, fault.status, fault.html);
      return true;
    case 'reset':
      dropConnection(state, req);
      return true;
    case 'slow':
      state.stats.faultsInjected.slow += 1;
      await state.delay(fault.delayMs);
      return false;
    default:
      return false;
  }
}

/** The connection is destroyed without an answer (also after the work is done, for deleteThenReset). */
export function dropConnection(state: EmulatorState, req: IncomingMessage): void {
  state.stats.faultsInjected.reset += 1;
  req.socket.destroy();
}
