#!/usr/bin/env bash
# Where one server's CPU goes under an echo load (or a broadcast one): user and kernel time per
# message and minor page faults per message, read from /proc for the server's process over the
# measured window. The split that compare.sh's one CPU figure hides: a server that frees and maps
# fresh memory turn after turn pays in kernel time and faults, not in its own code.
#
#   examples/bench/echo-cost.sh ours 16384 64 16        # 16 KiB echo, 64 connections x 16
#   examples/bench/echo-cost.sh netty 1048576 16 2      # raw Netty, 1 MiB, 16 x 2
#   examples/bench/echo-cost.sh --no-build ours 64 64 16
#   TYPE=text examples/bench/echo-cost.sh ours 16384 64 16   # text: the server checks UTF-8
#   LOAD=broadcast examples/bench/echo-cost.sh ours 64 1000 32  # broadcast: size, viewers, window
#   LOAD=broadcast LOAD_ARGS="--json --deflate" examples/bench/echo-cost.sh ours 2048 1000 32
#
# Servers: ours, reactor-netty, netty, vertx (as compare.sh). Same JVM settings and cores as
# compare.sh (SERVER_CPU, LOAD_CPU, SERVER_JVM, LOAD_JVM); PORT (19051); JAR, a build of ours to
# measure instead of examples/target (the load generator too, unless LOAD_JAR names another);
# LOAD_ARGS, more options for the load generator (its usage: `bench`). One line per run:
#   ours binary size=16384 msgs_s=... cpu_us_msg=... user_us_msg=... sys_us_msg=... faults_msg=...
# With LOAD=broadcast the same figures are per delivery (one message to one viewer).
set -euo pipefail
cd "$(dirname "$0")/../.."

build=true
if [ "${1:-}" = --no-build ]; then
  build=false
  shift
fi
server=${1:?server: ours, reactor-netty, netty or vertx}
size=${2:-16384}
connections=${3:-64}
inflight=${4:-16}
server_cpu=${SERVER_CPU:-0}
load_cpu=${LOAD_CPU:-1}
port=${PORT:-19051}
type=${TYPE:-binary}
kind=${LOAD:-echo}
source examples/bench/jvm.sh # server_jvm, load_jvm: the same as compare.sh
jar=${JAR:-examples/target/reactive-ws-examples.jar}
load_jar=${LOAD_JAR:-$jar}

if $build; then
  mvn -q -B -DskipInstall -Pbench -pl examples -am package -DskipTests
fi
peers="$(cat examples/target/bench.classpath):examples/target/test-classes:examples/target/classes"
case "$server" in
  ours) command=(-jar "$jar" bench server) ;;
  reactor-netty) command=(-cp "$peers" io.reactivews.examples.bench.peer.ReactorNettyPeer) ;;
  netty) command=(-cp "$peers" io.reactivews.examples.bench.peer.RawNettyPeer) ;;
  vertx) command=(-cp "$peers" io.reactivews.examples.bench.peer.VertxPeer) ;;
  *) echo "unknown server $server" >&2; exit 2 ;;
esac

log=$(mktemp)
# shellcheck disable=SC2086
taskset -c "$server_cpu" java $server_jvm "${command[@]}" --port "$port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 150); do
  grep -q "127.0.0.1" "$log" && break
  sleep 0.2
done

load() { # label warmup duration
  local u="ws://127.0.0.1:$port" what
  case "$kind" in
    echo) what=(echo --url "$u/echo" --connections "$connections" --type "$type") ;;
    broadcast) what=(broadcast --url "$u/broadcast" --publish "$u/publish"
      --subscribers "$connections") ;;
    *) echo "LOAD is echo or broadcast, not $kind" >&2; exit 2 ;;
  esac
  # shellcheck disable=SC2086
  taskset -c "$load_cpu" java $load_jvm -jar "$load_jar" bench "${what[@]}" --label "$1" \
    --stats "$u/stats" --size "$size" --inflight "$inflight" --warmup "$2" --duration "$3" \
    ${LOAD_ARGS:-}
}

# Fields 10, 14 and 15 of /proc/PID/stat: minor faults, user and kernel time in clock ticks.
counters() { cut -d' ' -f10,14,15 "/proc/$pid/stat"; }

load warm 15 3 >/dev/null
read -r faults0 user0 sys0 < <(counters)
result=$(load "$server" 0 6 | grep '^RESULT')
read -r faults1 user1 sys1 < <(counters)

unit=msg
rate=msgs_s
if [ "$kind" = broadcast ]; then
  unit=delivery
  rate=deliveries_s
  type=broadcast
fi
msgs_s=$(sed "s/.* $rate=\([0-9.]*\).*/\1/" <<<"$result")
cpu=$(sed "s/.*cpu_us_$unit=\([0-9.]*\).*/\1/" <<<"$result")
tick_us=$((1000000 / $(getconf CLK_TCK)))
awk -v s="$server" -v type="$type" -v size="$size" -v r="$msgs_s" -v cpu="$cpu" -v t="$tick_us" \
    -v rate="$rate" -v m="$unit" -v f=$((faults1 - faults0)) -v u=$((user1 - user0)) \
    -v k=$((sys1 - sys0)) 'BEGIN {
  n = r * 6 # messages in the measured 6 s; the counters also span the load starting and stopping
  printf "%s %s size=%d %s=%.0f cpu_us_%s=%s user_us_%s=%.3f sys_us_%s=%.3f faults_%s=%.4f\n",
      s, type, size, rate, r, m, cpu, m, u * t / n, m, k * t / n, m, f / n
}'
