// OneLogin's numeric user status in the words its admin console uses (docs/onelogin-api-notes.md: 0–5, 7, 8; 6 unused).

const STATUS_LABELS: Record<number, string> = {
  0: 'unactivated',
  1: 'active',
  2: 'suspended',
  3: 'locked',
  4: 'password expired',
  5: 'awaiting password reset',
  7: 'password pending',
  8: 'security questions required',
};

/** "active", "suspended", …; an unknown code as "status 6"; '' when the directory did not say. */
export function userStatusLabel(status: number | null | undefined): string {
  if (status === null || status === undefined) return '';
  return STATUS_LABELS[status] ?? `status ${status}`;
}
