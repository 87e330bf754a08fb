#!/usr/bin/env bash
# Our server against an echo server on Reactor Netty's own WebSocket support, side by side in one
# run: both servers pinned to one core, the load generator to another, rounds alternating which
# server goes first; prints a table of medians (min-max) and the ratio ours/theirs.
#
#   examples/bench/compare.sh            # full: 5 rounds, about 9 minutes
#   examples/bench/compare.sh --quick    # 2 rounds, smaller and shorter, about 2 minutes
#   examples/bench/compare.sh --metrics-cost   # our server with --metrics against without,
#                                              # 64 B echo only: what the meters cost (~4 min)
#
# Options: --quick, --rounds N, --no-build, --metrics-cost. Environment: SERVER_CPU (0), LOAD_CPU (1),
# OURS_PORT (19001), THEIRS_PORT (19002), SERVER_JVM, LOAD_JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=false
rounds=""
build=true
metrics_cost=false
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --rounds) rounds="$2"; shift ;;
    --no-build) build=false ;;
    --metrics-cost) metrics_cost=true ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if $quick; then
  rounds=${rounds:-2}; warmup=1; duration=2; idle=2000; subscribers=200
else
  rounds=${rounds:-5}; warmup=2; duration=5; idle=10000; subscribers=1000
fi
server_cpu=${SERVER_CPU:-0}
load_cpu=${LOAD_CPU:-1}
ours_port=${OURS_PORT:-19001}
theirs_port=${THEIRS_PORT:-19002}
# The same JVM settings for both servers; Netty's leak detector off for both.
server_jvm=${SERVER_JVM:-"-Xms1g -Xmx1g -Dio.netty.leakDetection.level=disabled"}
load_jvm=${LOAD_JVM:-"-Xms512m -Xmx512m"}
jar=examples/target/reactive-ws-examples.jar
out=examples/target/bench
mkdir -p "$out"
results="$out/results-$(date +%Y%m%d-%H%M%S).txt"

# Ten thousand sockets each side need more descriptors than the usual soft limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if $build; then
  echo "building (mvn -Pbench)..."
  mvn -q -B -Pbench -pl examples -am package -DskipTests
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

start() { # label log command...
  local label=$1 log=$2; shift 2
  taskset -c "$server_cpu" "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "bench server" "$log" && return 0
    sleep 0.2
  done
  echo "$label did not start:" >&2; cat "$log" >&2; exit 1
}
ours=ours
theirs=theirs
if $metrics_cost; then
  # Both are our server: "off" as always, "on" with meters into a Prometheus registry.
  ours=on
  theirs=off
  # shellcheck disable=SC2086
  start on "$out/on.log" java $server_jvm -jar "$jar" bench server --port "$ours_port" --metrics
  # shellcheck disable=SC2086
  start off "$out/off.log" java $server_jvm -jar "$jar" bench server --port "$theirs_port"
else
  # shellcheck disable=SC2086
  start ours "$out/ours.log" java $server_jvm -jar "$jar" bench server --port "$ours_port"
  # shellcheck disable=SC2086
  start theirs "$out/theirs.log" java $server_jvm \
    -cp "$(cat examples/target/bench.classpath):examples/target/test-classes" \
    io.reactivews.examples.bench.peer.ReactorNettyPeer --port "$theirs_port"
fi

bench() { # label port mode options...
  local label=$1 port=$2 mode=$3; shift 3
  # shellcheck disable=SC2086
  taskset -c "$load_cpu" java $load_jvm -jar "$jar" bench "$mode" --label "$label" \
    --stats "ws://127.0.0.1:$port/stats" --warmup "$warmup" --duration "$duration" "$@" \
    | tee -a "$results"
}

suite() { # label port
  local l=$1 p=$2 url="ws://127.0.0.1:$2"
  bench "$l" "$p" echo --url "$url/echo" --test echo-64B --size 64 --connections 16 --inflight 16
  bench "$l" "$p" echo --url "$url/echo" --test echo-64B-1conn --size 64 --connections 1 \
    --inflight 32
  if $metrics_cost; then
    return # the meters are counted per message: the small messages show their cost
  fi
  bench "$l" "$p" echo --url "$url/echo" --test echo-16KiB --size 16384 --connections 8 --inflight 8
  bench "$l" "$p" echo --url "$url/echo" --test echo-1MiB --size 1048576 --connections 4 --inflight 2
  bench "$l" "$p" latency --url "$url/echo" --test latency-64B-5k/s --size 64 --rate 5000 \
    --connections 4
  bench "$l" "$p" idle --url "$url/echo" --test "idle-$idle" --connections "$idle"
  bench "$l" "$p" broadcast --url "$url/broadcast" --publish "$url/publish" \
    --test "broadcast-$subscribers" --subscribers "$subscribers" --size 64 --inflight 32
}

{
  echo "# date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# jdk: $(java -version 2>&1 | head -1)"
  echo "# servers on cpu $server_cpu, load generator on cpu $load_cpu; rounds $rounds"
  echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results"

for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds"
  if [ $((round % 2)) -eq 1 ]; then
    suite "$ours" "$ours_port"; suite "$theirs" "$theirs_port"
  else
    suite "$theirs" "$theirs_port"; suite "$ours" "$ours_port"
  fi
done
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"

echo
grep '^#' "$results"
java -jar "$jar" bench table "$results" --ours "$ours" --theirs "$theirs"
echo
echo "raw results: $results"
