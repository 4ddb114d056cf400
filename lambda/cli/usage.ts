// The --help text and the one-line hint printed after a usage error. Defaults come from the settings module.

import { PLAN_MAX_AGE_HOURS } from '../settings/plan-settings.ts';
import {
  ACCOUNT_ID_ENV,
  CONCURRENCY,
  MAX_ATTEMPTS,
  MAX_PERCENT,
  RATE_SHARE,
  REQUIRE_PLAN,
} from '../settings/run-settings.ts';
import { DELETE_ONLY_SUSPENDED, SNAPSHOT_DETAIL } from '../settings/undo-settings.ts';

export const USAGE = `Usage: onelogin-bulk-delete --file users.csv [--suspend] [--dry-run | --live] [options]
       onelogin-bulk-delete --restore snapshot.jsonl [--dry-run | --live] [options]

Deletes the OneLogin users listed in a CSV (header row; columns id, username, email; at
least one). Dry run is the default: nothing changes, the report says what would happen.

Host (exactly one):
  --subdomain NAME        https://NAME.onelogin.com               (env ONELOGIN_SUBDOMAIN)
  --region us|eu          https://api.us|eu.onelogin.com          (env ONELOGIN_REGION)
  --api-url URL           any base URL; http:// only for loopback (env ONELOGIN_API_URL)

Credentials:
  --client-id ID          API client id                           (env ONELOGIN_CLIENT_ID)
  --client-secret SECRET  prefer the env ONELOGIN_CLIENT_SECRET: the command line is kept in shell history

Accounts (docs/accounts.md):
  --profile NAME          host, client id, account id and guards of one account from the profiles file;
                          flags given here win. Secret: client_secret_env's variable, else the file's
                          client_secret (only when the file is mode 0600), else ONELOGIN_CLIENT_SECRET
  --profiles FILE         the profiles file (default $XDG_CONFIG_HOME or ~/.config, then
                          onelogin-bulk-delete/profiles.json)

Run:
  --file FILE             the CSV of users to delete
  --dry-run               report what would happen (default)
  --live                  delete the users
  --yes, -y               do not ask for confirmation before a live run; without a terminal on
                          standard input a live run needs it (old form: yes=true)
  --report-dir DIR        write report.json, report.csv, report.html (and retry.csv) into DIR,
                          which must be new or empty (default: a new folder under ./reports/)

Safety:
  --protect VALUE         an id, username or email that must never be deleted (repeatable)
  --protect-file FILE     protected values: one per line (# comments), a CSV with an id/username/email
                          header, or a JSON array (repeatable). A value that cannot be an identifier
                          (a wildcard, a separator, an invalid id or email) refuses the run (exit 2)
  --allow-directory-users delete users synced from a directory too (by default they are rejected
                          directory-managed: the next sync would bring them back)
  --max-deletions N       refuse a live run that would delete more than N users
  --max-percent P         refuse a live run that would delete more than P % of the account (default ${MAX_PERCENT.default};
                          100 lifts it)

Suspend first, and undo (a live deletion or suspension writes snapshot.jsonl beside its report,
each user's line before that user is changed):
  --suspend               suspend and sign out the users of --file instead of deleting them
  --restore SNAPSHOT      instead of --file: restore the users of a snapshot.jsonl (or some of its
                          lines): a deleted user is created again (new id, no password, no MFA
                          factors) with its roles; a suspended user gets its previous status back
  ${DELETE_ONLY_SUSPENDED.flag}        delete only users who are suspended at delete time (others are rejected
                          not-suspended): suspend, wait, then delete who is still suspended
  ${SNAPSHOT_DETAIL.flag} full|basic   full (default) reads a user again when the lookup lacks its custom
                          attributes or roles; basic never does (the snapshot says what it lacks)

Reviewed plans (every dry run writes plan.json beside its report):
  --plan FILE             with --live: delete exactly the users of that dry run's plan.json; refused
                          unless --file is byte-identical and the credentials reach the plan's account
  --plan-max-age HOURS    refuse a plan older than this (default ${PLAN_MAX_AGE_HOURS.default})
  --require-plan          refuse --live without --plan                (env ${REQUIRE_PLAN.env}=true)
  --account-id N          refuse to run unless the token's account is N (env ${ACCOUNT_ID_ENV})

Pacing:
  --concurrency N         API requests in flight at once (default ${CONCURRENCY.default})
  --rate-share S          share (0-1] of the account's rate limit to use (default ${RATE_SHARE.default})
  --max-attempts N        attempts per API call, the first included (default ${MAX_ATTEMPTS.default})

  --help, -h              this text
  --version, -V           the version

The old script's form works too:
  onelogin-bulk-delete env=us file=users.csv client_id=ID client_secret=SECRET dry_run=false [yes=true]

Ctrl-C or SIGTERM stops a run: no new deletion is sent, the report is written (exit 3); a second
Ctrl-C writes the report at once from what is saved.

Exit status: 0 every row reached an outcome and none failed; 1 some rows failed (see retry.csv);
2 nothing changed (input, options or credentials refused, or confirmation declined);
3 the run was aborted part-way (the report says how far it got).
`;

export const USAGE_HINT = 'Run onelogin-bulk-delete --help for the options.';
