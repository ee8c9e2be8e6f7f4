#!/usr/bin/env bash
# The console end to end in a real browser: builds iamlocal, starts it with
# --ephemeral on a free port and the users of world.json (--init), and runs
# e2e.mjs, which drives headless Chromium (Debian's chromium package) with
# playwright-core. .ci/run calls it; so can you. It installs what is
# missing: Debian's chromium and a Japanese font (as root, or through sudo;
# Playwright cannot download its own browser here), and the pinned npm
# packages of package-lock.json. Screenshots of every page go to artifacts/
# (or $IAMLOCAL_E2E_ARTIFACTS); the hands-on guide's (and the README's) go
# to docs/images/ and docs/images/ja/ (or $IAMLOCAL_E2E_GUIDE_IMAGES).
set -euo pipefail
cd "$(dirname "$0")"
suite="console e2e"
source ../server.sh

export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
# A Japanese font, for the pages in Japanese (and the language switch).
[ -n "$(fc-list :lang=ja 2>/dev/null)" ] || missing+=(fonts-ipafont-gothic)
if [ ${#missing[@]} -gt 0 ]; then
  echo "console e2e: installing ${missing[*]}"
  start=$SECONDS
  apt_install "${missing[@]}"
  echo "console e2e: installed in $((SECONDS - start))s"
fi
npm ci --silent --no-audit --no-fund
echo "console e2e: $("$CHROMIUM" --version 2>/dev/null);" \
  "playwright-core $(node -p 'require("playwright-core/package.json").version') on node $(node --version)"

start_iamlocal --init world.json

start=$SECONDS
if IAMLOCAL_ENDPOINT=$endpoint node e2e.mjs; then
  echo "console e2e: passed in $((SECONDS - start))s"
else
  echo "console e2e: FAILED after $((SECONDS - start))s; server log:"; tail -n 50 "$work/log"
  exit 1
fi
