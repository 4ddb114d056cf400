// The reports are the record; a failed notification is logged (and counted by the caller), not retried with the step.
import type { Logger } from '../engine/ports.ts';
import type { RunSummaryMessage } from '../shared/run-summary-message.ts';

/** False when the notification failed. */
export async function notifySafely(
  notify: (message: RunSummaryMessage) => Promise<void>,
  message: RunSummaryMessage,
  log: Logger,
): Promise<boolean> {
  try {
    await notify(message);
    return true;
  } catch (error) {
    log.error('notification failed', {
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    return false;
  }
}
