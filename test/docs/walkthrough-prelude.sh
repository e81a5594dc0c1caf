# The start of the README walkthrough script (test/docs/readme-blocks.ts appends the blocks).
# A failing command fails the walkthrough; the background services stop (SIGTERM to their whole
# process group, as Ctrl-C would) when it ends, however it ends.
set -eo pipefail
services=()

# Stops the newest background service; waits up to 30 s for it to exit.
stop_newest() {
  local pid=${services[-1]}
  unset 'services[-1]'
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "README test: service $pid did not stop within 30 s" >&2
  return 1
}
stop_all() { while [ ${#services[@]} -gt 0 ]; do stop_newest || true; done; }
trap stop_all EXIT

# start_service LOG BLOCK: runs BLOCK in a session of its own and waits for its listening line.
start_service() {
  local log=$1 block=$2
  setsid bash -c "$block" >"$log" 2>&1 </dev/null &
  services+=($!)
  for _ in $(seq 900); do
    grep -q 'coffer: listening on' "$log" && return 0
    kill -0 "${services[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "README test: the service did not start listening within 90 s; its output:" >&2
  cat "$log" >&2
  return 1
}
