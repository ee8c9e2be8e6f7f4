#!/usr/bin/env bash
# Smoke suite: aws-cli (v1 or v2) against a running iamlocal.
#   AWS_ENDPOINT_URL=http://127.0.0.1:4599 IAMLOCAL=./iamlocal bash conformance/clients/cli.sh
# (IAMLOCAL: the binary, for `iamlocal totp --seed`; AWS_CLI: the aws to run, default aws)
# It resets the server's state first: run it against a test server only.
set -euo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
endpoint=${AWS_ENDPOINT_URL:-http://127.0.0.1:4599}
iamlocal=${IAMLOCAL:-iamlocal}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE
account=123456789012

aws() { command "${AWS_CLI:-aws}" --endpoint-url "$endpoint" --output text "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { # check NAME GOT WANT
  [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
  echo "ok  $1"
}
expect_error() { # expect_error NAME CODE MESSAGE COMMAND...: the command fails with AWS's code and text
  local name=$1 code=$2 message=$3 out; shift 3
  if out=$("$@" 2>&1); then fail "$name: succeeded, want $code"; fi
  case $out in
    *"An error occurred ($code) when calling the "*" operation: $message") echo "ok  $name" ;;
    *) fail "$name: got '$out', want ($code) $message" ;;
  esac
}
# codes prints the current and the next code of a Base32 seed, on the server's clock.
codes() { "$iamlocal" totp --endpoint "$endpoint" --seed "$1" | awk '{c[NR] = $2} END {print c[1], c[2]}'; }

curl -fsS -X POST "$endpoint/_iamlocal/reset" >/dev/null

# A user, two keys, and the quota of two.
aws iam create-user --user-name alice >/dev/null
read -r ak sk < <(aws iam create-access-key --user-name alice --query 'AccessKey.[AccessKeyId,SecretAccessKey]')
aws iam create-access-key --user-name alice >/dev/null
expect_error "third key" LimitExceeded "Cannot exceed quota for AccessKeysPerUser: 2" \
  aws iam create-access-key --user-name alice

# Signed with alice's own key.
as_alice() { AWS_ACCESS_KEY_ID=$ak AWS_SECRET_ACCESS_KEY=$sk "$@"; }
check "caller is alice" "$(as_alice aws sts get-caller-identity --query Arn)" "arn:aws:iam::$account:user/alice"
expect_error "alice lists users" AccessDenied \
  "User: arn:aws:iam::$account:user/alice is not authorized to perform: iam:ListUsers on resource: user path / because no identity-based policy allows the iam:ListUsers action" \
  as_alice aws iam list-users

# A virtual MFA device, enabled with two consecutive codes.
seedfile=$(mktemp); trap 'rm -f "$seedfile"' EXIT
serial=$(aws iam create-virtual-mfa-device --virtual-mfa-device-name alice-mfa \
  --bootstrap-method Base32StringSeed --outfile "$seedfile" --query VirtualMFADevice.SerialNumber)
seed=$(cat "$seedfile")
read -r code1 code2 < <(codes "$seed")
aws iam enable-mfa-device --user-name alice --serial-number "$serial" --authentication-code1 "$code1" --authentication-code2 "$code2"
check "alice's device" "$(aws iam list-mfa-devices --user-name alice --query 'MFADevices[0].SerialNumber')" "$serial"

# A role alice may assume only with MFA.
aws iam create-role --role-name auditor --query Role.Arn --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{
  "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'$account':user/alice"},"Action":"sts:AssumeRole",
  "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}' >/dev/null
aws iam attach-role-policy --role-name auditor --policy-arn arn:aws:iam::aws:policy/IAMReadOnlyAccess
role=arn:aws:iam::$account:role/auditor
expect_error "assume without MFA" AccessDenied \
  "User: arn:aws:iam::$account:user/alice is not authorized to perform: sts:AssumeRole on resource: $role" \
  as_alice aws sts assume-role --role-arn "$role" --role-session-name smoke

# Each code works once: move the emulator's clock past the codes used above.
curl -fsS -X POST "$endpoint/_iamlocal/clock?advance=60s" >/dev/null
read -r rak rsk rtoken < <(as_alice aws sts assume-role --role-arn "$role" --role-session-name smoke \
  --serial-number "$serial" --token-code "$(codes "$seed" | cut -d' ' -f1)" \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]')
as_role() { AWS_ACCESS_KEY_ID=$rak AWS_SECRET_ACCESS_KEY=$rsk AWS_SESSION_TOKEN=$rtoken "$@"; }
check "caller is the role session" "$(as_role aws sts get-caller-identity --query Arn)" \
  "arn:aws:sts::$account:assumed-role/auditor/smoke"
check "the role lists users" "$(as_role aws iam list-users --query 'Users[].UserName')" "alice"

echo "cli: all passed"
