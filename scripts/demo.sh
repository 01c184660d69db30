#!/usr/bin/env bash
# The main job: start the Cloud Manager emulator (state in .state/), `pulumi up` the program stack
# (network infrastructure) and the dev environment stack, print the DefaultMailService JSON.
# `demo.sh stop` stops the emulator. Needs `make install pulumi` first (the Makefile does it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.state"
pidfile="$state/emulator.pid"
port="${AEM_EMULATOR_PORT:-8765}"
url="http://127.0.0.1:$port"

stop() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" && echo "emulator stopped"
  else
    echo "emulator not running"
  fi
  rm -f "$pidfile"
}

start_emulator() {
  mkdir -p "$state"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "emulator already running at $url (pid $(cat "$pidfile"))"; return
  fi
  "$root/.venv/bin/aem-cloudmanager-emulator" --port "$port" --state "$state/emulator.sqlite" \
    >"$state/emulator.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    grep -q "listening on" "$state/emulator.log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "listening on" "$state/emulator.log" || { cat "$state/emulator.log"; exit 1; }
  echo "emulator: $url (state $state/emulator.sqlite, log $state/emulator.log)"
}

pulumi_env() {
  bin="$(bash "$root/scripts/get-pulumi.sh")"
  export PATH="$bin:$PATH"
  export PULUMI_BACKEND_URL="file://$state/pulumi"
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-aem-pulumi-demo}"
  export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_PYTHON_CMD="$root/.venv/bin/python"
  # The emulator's published demo credentials; real ones go in `aem:clientSecret` (secret).
  export AEM_CLIENT_SECRET="${AEM_CLIENT_SECRET:-aem-emulator-secret}"
  export AEM_POLL_INTERVAL="${AEM_POLL_INTERVAL:-1}"
  mkdir -p "$state/pulumi"
}

up() {
  start_emulator
  pulumi_env
  (cd "$root/examples/network" && pulumi stack select --create wknd && pulumi up --yes --skip-preview)
  (cd "$root" && pulumi stack select --create dev && pulumi up --yes --skip-preview)
  echo
  echo "DefaultMailService ($(cd "$root" && pulumi stack output osgi_config_path)):"
  (cd "$root" && pulumi stack output default_mail_service_json)
}

case "${1:-up}" in
  up) up ;;
  stop) stop ;;
  *) echo "usage: demo.sh [up|stop]" >&2; exit 2 ;;
esac
