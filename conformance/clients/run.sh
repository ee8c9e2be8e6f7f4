#!/usr/bin/env bash
# Builds iamlocal, starts it with --ephemeral on a free port, and runs each
# client's smoke suite against it: aws-cli (cli.sh), boto3 (smoke.py) and
# the AWS SDK for JavaScript v3 (js/smoke.mjs). .ci/run calls it; so can you.
# It installs what is missing: Debian's awscli or python3-boto3 (as root, or
# through sudo), and the pinned npm packages of js/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")"
suite=clients
source ../server.sh

missing=()
command -v aws >/dev/null || missing+=(awscli)
python=python3
if ! python3 -c 'import boto3' 2>/dev/null; then missing+=(python3-boto3); python=/usr/bin/python3; fi
if [ ${#missing[@]} -gt 0 ]; then echo "clients: installing ${missing[*]}"; apt_install "${missing[@]}"; fi
(cd js && npm ci --silent --no-audit --no-fund)
echo "clients: $(aws --version 2>&1); boto3 $($python -c 'import boto3; print(boto3.__version__)') on $($python --version);" \
  "$(cd js && node -p 'require("@aws-sdk/client-iam/package.json").version') of @aws-sdk/client-iam on node $(node --version)"

start_iamlocal
export AWS_ENDPOINT_URL=$endpoint IAMLOCAL=$work/iamlocal
# pyenv's shim costs about a second per call: cli.sh runs the aws it points at.
AWS_CLI=$(pyenv which aws 2>/dev/null || command -v aws)
export AWS_CLI

passed=0 failed=0
suite() { # suite NAME COMMAND...: runs one suite, times it, and goes on after a failure
  local name=$1 start=$SECONDS; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "clients: $name FAILED"; fi
  echo "clients: $name took $((SECONDS - start))s"
}
suite aws-cli bash cli.sh
suite boto3 "$python" smoke.py
suite js node js/smoke.mjs
[ "$failed" = 0 ] || { echo "clients: server log:"; tail -n 50 "$work/log"; }
echo "clients: $passed passed, $failed failed"
[ "$failed" = 0 ]
