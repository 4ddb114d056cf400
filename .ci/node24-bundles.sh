#!/usr/bin/env bash
# CI: the Lambda bundles on the Lambda runtime's Node. Takes the handler bundles of a `cdk synth` output (the files the
# stack deploys; synthesizes one when no folder is given), gets a Node 24 binary from the npm registry (or $NODE24),
# and runs on-upload → step loop → finalize under it against s3rver, the OneLogin emulator and fake AWS endpoints.
# Given a synth of the integ app too, it also runs that app's emulator function bundle under Node 24.
#   .ci/node24-bundles.sh [CDK_OUT_DIR [INTEG_CDK_OUT_DIR]]
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cdk_out="${1:-}"
if [ -z "$cdk_out" ]; then
  cdk_out="$scratch/cdk.out"
  npx cdk synth --quiet --no-notices --output "$cdk_out" >/dev/null
fi

node24="${NODE24:-}"
if [ -z "$node24" ]; then
  (cd "$scratch" && npm init -y >/dev/null && npm install --no-save --silent --no-audit --no-fund node@24 2>/dev/null)
  node24="$scratch/node_modules/.bin/node"
fi
echo "Node for the bundles: $("$node24" --version)"

integ=()
if [ -n "${2:-}" ]; then integ=(--integ-cdk-out "$2"); fi
npx tsx test/node24/run-pipeline.ts --cdk-out "$cdk_out" --node "$node24" "${integ[@]}"
