// What a restore can never bring back (docs/restore.md): said in every restore's report.json (`notices`), its
// report.html and the CLI's summary, so that nobody takes a restore for a full undo.
export const RESTORE_NOTICES: readonly string[] = [
  'A restore is not a full undo. A deleted user comes back as a new user with a new id: the old id cannot come back, so apps, API clients and audit records that name the old id do not follow it.',
  'What OneLogin never returns cannot come back: the password (a re-created user has none until it is set or reset), MFA factors (they must be enrolled again), sign-in history and the last-login time.',
  'App-side accounts and provisioning are not restored: apps that deprovisioned the user keep their own state; app access comes back only through the roles and rules that grant it.',
  'A user synced from a directory is re-created as a user OneLogin manages itself; its directory restores it on its next sync. Fields a basic snapshot lacks (missingFields) cannot come back either.',
];
