#!/usr/bin/env bash
# The console end to end in a real browser: builds iamlocal, starts it with
# --ephemeral on a free port and the users of world.json (--init), and runs
# e2e.mjs, which drives headless Chromium (Debian's chromium package) with
# playwright-core. .ci/run calls it; so can you. It installs what is
# missing: Debian's chromium and a Japanese font (as root, or through sudo;
# Playwright cannot download its own browser here), and the pinned npm
# packages of package-lock.json. Screenshots of every page go to artifacts/
# (or $IAMLOCAL_E2E_ARTIFACTS); the README's are copies of some of them in
# docs/images/.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
pid=
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT

export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
# A Japanese font, for the pages in Japanese (and the language switch).
[ -n "$(fc-list :lang=ja 2>/dev/null)" ] || missing+=(fonts-ipafont-gothic)
if [ ${#missing[@]} -gt 0 ]; then
  echo "console e2e: installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "console e2e: need root or sudo to install ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  start=$SECONDS
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "console e2e: installed in $((SECONDS - start))s"
fi
npm ci --silent --no-audit --no-fund
echo "console e2e: $("$CHROMIUM" --version 2>/dev/null);" \
  "playwright-core $(node -p 'require("playwright-core/package.json").version') on node $(node --version)"

go build -o "$work/iamlocal" ../../cmd/iamlocal
"$work/iamlocal" --ephemeral --addr 127.0.0.1:0 --init world.json >"$work/log" 2>&1 &
pid=$!
endpoint=
for _ in $(seq 100); do # the banner names the port the system chose
  endpoint=$(sed -n 's/^iamlocal: IAM and STS on //p' "$work/log")
  [ -n "$endpoint" ] && curl -fsS "$endpoint/_iamlocal/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$endpoint/_iamlocal/health" >/dev/null || { echo "console e2e: iamlocal did not start"; cat "$work/log"; exit 1; }

start=$SECONDS
if IAMLOCAL_ENDPOINT=$endpoint node e2e.mjs; then
  echo "console e2e: passed in $((SECONDS - start))s"
else
  echo "console e2e: FAILED after $((SECONDS - start))s; server log:"; tail -n 50 "$work/log"
  exit 1
fi
