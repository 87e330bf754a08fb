#!/usr/bin/env bash
# Cross-node broadcast against the same broadcast on one node: 1,000 subscribers spread over two
# bench servers joined by one Redis (pub/sub), a publisher on the first, against 1,000
# subscribers and the publisher on a third server alone. Servers and Redis on one core, the load
# generator on the other; rounds alternate which goes first; prints medians (min-max) and the
# ratio two-nodes/one-node.
#
#   examples/bench/cluster.sh            # 5 rounds, 2 s warm-up, 5 s measured: about 2 minutes
#   examples/bench/cluster.sh --quick    # 2 rounds, 200 subscribers
#
# Options: --quick, --rounds N, --no-build. Environment: SERVER_CPU (0), LOAD_CPU (1),
# BASE_PORT (19011: three servers and Redis on the next four ports), SERVER_JVM, LOAD_JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=false
rounds=""
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --rounds) rounds="$2"; shift ;;
    --no-build) build=false ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if $quick; then
  rounds=${rounds:-2}; warmup=1; duration=2; subscribers=200
else
  rounds=${rounds:-5}; warmup=2; duration=5; subscribers=1000
fi
server_cpu=${SERVER_CPU:-0}
load_cpu=${LOAD_CPU:-1}
base=${BASE_PORT:-19011}
node_a=$base; node_b=$((base + 1)); single=$((base + 2)); redis_port=$((base + 3))
server_jvm=${SERVER_JVM:-"-Xms512m -Xmx512m -Dio.netty.leakDetection.level=disabled"}
load_jvm=${LOAD_JVM:-"-Xms512m -Xmx512m"}
jar=examples/target/reactive-ws-examples.jar
out=examples/target/bench
mkdir -p "$out"
results="$out/cluster-$(date +%Y%m%d-%H%M%S).txt"
redis_dir=$(mktemp -d)

if $build; then
  echo "building..."
  mvn -q -B -pl examples -am package -DskipTests
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$redis_dir"
}
trap cleanup EXIT

taskset -c "$server_cpu" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' \
  --appendonly no --dir "$redis_dir" >"$out/redis.log" 2>&1 &
pids+=($!)
start() { # log options...
  local log=$1; shift
  # shellcheck disable=SC2086
  taskset -c "$server_cpu" java $server_jvm -jar "$jar" bench server "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "bench server" "$log" && return 0
    sleep 0.2
  done
  echo "a server did not start:" >&2; cat "$log" >&2; exit 1
}
redis="redis://127.0.0.1:$redis_port"
start "$out/node-a.log" --port "$node_a" --redis "$redis"
start "$out/node-b.log" --port "$node_b" --redis "$redis"
start "$out/single.log" --port "$single"
sleep 2 # the nodes' buses connect in the background

bench() { # label publish-port subscriber-urls
  # shellcheck disable=SC2086
  taskset -c "$load_cpu" java $load_jvm -jar "$jar" bench broadcast --label "$1" \
    --test "broadcast-$subscribers" --url "$3" --publish "ws://127.0.0.1:$2/publish" \
    --subscribers "$subscribers" --size 64 --inflight 32 --warmup "$warmup" \
    --duration "$duration" | tee -a "$results"
}
two() { bench two-nodes "$node_a" "ws://127.0.0.1:$node_a/broadcast,ws://127.0.0.1:$node_b/broadcast"; }
one() { bench one-node "$single" "ws://127.0.0.1:$single/broadcast"; }

{
  echo "# date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# jdk: $(java -version 2>&1 | head -1); $(redis-server --version | cut -d' ' -f1-3)"
  echo "# servers and Redis on cpu $server_cpu, load generator on cpu $load_cpu; rounds $rounds"
  echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results"
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds"
  if [ $((round % 2)) -eq 1 ]; then two; one; else one; two; fi
done
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
echo
java -jar "$jar" bench table "$results" --ours two-nodes --theirs one-node
echo
echo "raw results: $results"
