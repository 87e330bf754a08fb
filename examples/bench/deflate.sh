#!/usr/bin/env bash
# What permessage-deflate costs: memory per idle connection at 10,000 connections (no
# compression, the default mode, the context-takeover mode), then a broadcast of a 2 KiB JSON
# message to 1,000 sessions with and without compression, in alternating rounds. Each idle
# measurement gets a fresh server, since a JVM's resident memory only grows. Server on core 0,
# load generator on core 1, as in compare.sh. About 3 minutes.
#
#   examples/bench/deflate.sh [--rounds N] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds=3
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --no-build) build=false ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
port=${DEFLATE_PORT:-19011}
jar=examples/target/reactive-ws-examples.jar
out=examples/target/bench
mkdir -p "$out"
results="$out/deflate-$(date +%Y%m%d-%H%M%S).txt"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if $build; then
  echo "building (mvn -Pbench)..."
  mvn -q -B -Pbench -pl examples -am package -DskipTests
fi

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

server() { # log flags...: a fresh bench server, heap resident from the start (AlwaysPreTouch)
  local log=$1; shift
  taskset -c 0 java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled \
    -jar "$jar" bench server --port "$port" "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q "bench server" "$log" && return 0
    sleep 0.2
  done
  echo "the server did not start:" >&2; cat "$log" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
load() { # mode label options...
  local mode=$1 label=$2; shift 2
  taskset -c 1 java -Xms512m -Xmx512m -jar "$jar" bench "$mode" --label "$label" \
    --stats "ws://127.0.0.1:$port/stats" "$@" | tee -a "$results"
}

echo "# date: $(date -u +%Y-%m-%dT%H:%MZ); load average $(cut -d' ' -f1-3 /proc/loadavg)" \
  | tee "$results"
u="ws://127.0.0.1:$port"
server "$out/deflate-server.log"
load idle plain --url "$u/echo" --connections 10000 --first-message 1024 --test idle-10000
stop
server "$out/deflate-server.log"
load idle deflate-default --url "$u/echo" --connections 10000 --deflate --first-message 1024 \
  --test idle-10000
stop
server "$out/deflate-server.log" --deflate-context
load idle deflate-context --url "$u/echo" --connections 10000 --deflate --first-message 1024 \
  --test idle-10000
stop

server "$out/deflate-server.log"
for round in $(seq 1 "$rounds"); do
  for mode in plain deflate; do
    flag=""
    [ "$mode" = deflate ] && flag="--deflate"
    # shellcheck disable=SC2086
    load broadcast "$mode" --url "$u/broadcast" --publish "$u/publish" --subscribers 1000 \
      --size 2048 --json --inflight 32 --warmup 2 --duration 5 $flag \
      --test broadcast-1000-2KiB-json
  done
done
stop
echo "raw results: $results"
