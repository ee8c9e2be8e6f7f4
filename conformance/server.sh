# Shared by the suites that drive the built binary from outside
# (clients/run.sh, console/run.sh); source it with $suite set to the name
# its messages start with. It makes $work, a temporary folder removed at
# exit, where start_iamlocal builds and starts the server, which is
# stopped at exit too, whatever the suite's outcome.
work=$(mktemp -d)
pid=
stop_iamlocal() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop_iamlocal EXIT

# apt_install PACKAGE...: installs Debian packages, as root or through sudo.
apt_install() {
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "$suite: need root or sudo to install $*"; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# start_iamlocal [FLAG...]: builds $work/iamlocal, starts it with
# --ephemeral on a free port (and FLAGs), waits until it answers, and sets
# $endpoint; the server's log is $work/log.
start_iamlocal() {
  go build -o "$work/iamlocal" "$(dirname "${BASH_SOURCE[0]}")/../cmd/iamlocal"
  "$work/iamlocal" --ephemeral --addr 127.0.0.1:0 "$@" >"$work/log" 2>&1 &
  pid=$!
  endpoint=
  for _ in $(seq 100); do # the banner names the port the system chose
    endpoint=$(sed -n 's/^iamlocal: IAM and STS on //p' "$work/log")
    [ -n "$endpoint" ] && curl -fsS "$endpoint/_iamlocal/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "$endpoint/_iamlocal/health" >/dev/null || { echo "$suite: iamlocal did not start"; cat "$work/log"; exit 1; }
}
