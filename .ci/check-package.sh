#!/usr/bin/env bash
# CI: the package as users get it. Packs the tarball, installs it globally into a temporary prefix, and from a folder
# outside the clone runs `onelogin-bulk-delete --help` and a dry run against the OneLogin emulator (started from the clone).
set -euo pipefail
clone="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cd "$clone"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball"
npm install -g --silent --no-audit --no-fund --prefix "$work/prefix" "$work/$tarball"
bin="$work/prefix/bin/onelogin-bulk-delete"
test -x "$bin"
# tsx is a devDependency: the installed command must not need it (nor anything else outside its dependencies).
if [ -e "$work/prefix/lib/node_modules/onelogin-bulk-delete/node_modules/tsx" ]; then
  echo "tsx was installed with the package" >&2
  exit 1
fi

mkdir "$work/outside"
cd "$work/outside"
"$bin" --help | grep -q '^Usage: onelogin-bulk-delete'
"$bin" --version | grep -qx "$(node -p "require('$clone/package.json').version")"

secret="ci-$(node -p "require('node:crypto').randomBytes(12).toString('hex')")"
"$clone/node_modules/.bin/tsx" "$clone/lambda/emulator/main.ts" --port 0 --users 50 --seed 1 \
  --client-id ci-client --client-secret "$secret" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
api_url=""
for _ in $(seq 1 100); do
  api_url="$(sed -n 's/^OneLogin emulator listening on \(http[^ ]*\).*/\1/p' "$work/emulator.log")"
  [ -n "$api_url" ] && break
  sleep 0.1
done
if [ -z "$api_url" ]; then
  cat "$work/emulator.log" >&2
  echo "the emulator did not start" >&2
  exit 1
fi

# Seed 1 numbers its users from 10000001; 99000001 does not exist.
printf 'id\n10000001\n10000002\n99000001\n' >users.csv
status=0
ONELOGIN_CLIENT_SECRET="$secret" "$bin" --api-url "$api_url" --client-id ci-client --file users.csv \
  --dry-run --report-dir report >"$work/run.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat "$work/run.log" >&2
  echo "the dry run exited $status, expected 0" >&2
  exit 1
fi
test -f report/report.json
node -e '
  const report = JSON.parse(require("node:fs").readFileSync("report/report.json", "utf8"));
  const outcomes = report.rows.map((row) => row.outcome).join(",");
  if (report.job.mode !== "dry-run" || outcomes !== "would-delete,would-delete,not-found") {
    console.error(`unexpected report: mode ${report.job.mode}, outcomes ${outcomes}`);
    process.exit(1);
  }
'
if grep -rq "$secret" report "$work/run.log"; then
  echo "the client secret appears in the output or the report" >&2
  exit 1
fi
echo "package check passed: installed bin ran --help, --version and a dry run from $work/outside"
