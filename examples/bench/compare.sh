#!/usr/bin/env bash
# Our server against three peers serving the same routes, side by side in one run: Reactor
# Netty's WebSocket, raw Netty 4.2 websocketx, Vert.x 5.1. Each server is pinned to one core,
# the load generator to another; every round runs every server, the order rotating from round
# to round, and only the server under test runs (the others are stopped meanwhile). Each load
# runs on every server in turn before the next. Prints a table of medians (min-max), ours over
# the best peer (of the medians, and round by round), and the issues' goals.
#
#   examples/bench/compare.sh            # full: 3 rounds, ~73 min (printed first)
#   examples/bench/compare.sh --quick    # 1 round, every load, short runs (~8 min): it all runs
#   examples/bench/compare.sh --tests echo,idle --only ours,netty
#   examples/bench/compare.sh --metrics-cost   # our server with --metrics against without,
#                                              # 64 B echo only: what the meters cost
#   examples/bench/compare.sh --trace-warmup   # each server from a cold start, 16 KiB and 1 MiB
#                                              # echo, messages/s second by second (~6 min)
#   examples/bench/compare.sh --pairs --tests broadcast-rate,broadcast-stalled
#                                              # ours and each peer back to back (~38 min)
#
# With --pairs each load runs on ours and one peer back to back, for every peer in turn (who
# goes first alternates from round to round), and the "per round" column is the median of
# ours over the peer within each pair, against the peer least in our favour. The pace of this
# machine drifts within minutes, which a four-server round spans; the two runs of a pair are a
# minute apart at most.
#
# Options: --quick, --rounds N, --no-build, --pairs, --only LIST (servers:
# ours,reactor-netty,netty,vertx), --tests LIST (groups: echo, echo-text, reply, reply-text,
# latency, idle, broadcast, broadcast-rate, broadcast-stalled, broadcast-deflate),
# --metrics-cost, --trace-warmup, --rate-seconds S (the fixed-rate rows' measured window, 8 s
# by default: over 50 messages/s, their p99 rests on the slowest few of 400 messages).
# Environment: SERVER_CPU (0), LOAD_CPU (1), BASE_PORT (19001: servers on BASE_PORT+0..3, idle
# servers on BASE_PORT+10..13, compressing servers on BASE_PORT+20..23), SERVER_JVM, LOAD_JVM.
set -euo pipefail
# Braced to the end: bash reads a script as it runs it, and an edit to this file during an
# hour-long run would otherwise be read mid-run. A compound command is read whole first.
{
cd "$(dirname "$0")/../.."

quick=false
rounds=""
build=true
metrics_cost=false
trace_warmup=false
pairs=false
rate_seconds=""
only="ours,reactor-netty,netty,vertx"
tests="echo,echo-text,reply,reply-text,latency,idle,broadcast,broadcast-rate,broadcast-stalled,broadcast-deflate"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --rounds) rounds="$2"; shift ;;
    --no-build) build=false ;;
    --metrics-cost) metrics_cost=true ;;
    --only) only="$2"; shift ;;
    --tests) tests="$2"; shift ;;
    --trace-warmup) trace_warmup=true ;;
    --pairs) pairs=true ;;
    --rate-seconds) rate_seconds="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Durations in seconds. Warm-up (RESULTS.md, "Warm-up: how long each server takes"): from a
# cold start the servers need up to about 10 s of 16 KiB echo and up to about 20 s of 1 MiB
# echo (ours is the slowest there) to reach their steady pace. So each server first gets a
# warm-up pass, not recorded: binary echo for warm_small s at 64 B, warm_16k s at 16 KiB,
# warm_1m s at 1 MiB, then text for warm_small s at each size; and then every run has its own
# warm-up. Broadcast at a fixed rate runs longer: its p99 and p99.9 are over 400,000
# deliveries. It also starts measuring later (rate_warmup s after the viewers connected): our
# server pings each silent connection first 10-20 s after it opened (each at a point of its
# own), then every 20 s (keepalive is on by default; the peers never ping), and the first pings
# send the JIT recompiling the fan-out path for a few seconds (RESULTS.md, "Third round").
# Measuring after them compares steady states, which is what a long-lived broadcast meets; our
# pings still cost their share in every window (the second pings fall 20-40 s in).
if $quick; then
  rounds=${rounds:-1}; warm_small=1; warm_16k=1; warm_1m=1
  warmup=1; duration=2; rate_duration=3; rate_warmup=1; idle=2000
else
  rounds=${rounds:-3}; warm_small=3; warm_16k=10; warm_1m=20
  warmup=3; duration=4; rate_duration=8; rate_warmup=25; idle=10000
fi
rate_duration=${rate_seconds:-$rate_duration}
server_cpu=${SERVER_CPU:-0}
load_cpu=${LOAD_CPU:-1}
base_port=${BASE_PORT:-19001}
# The JVM settings every server and the load generator get (SERVER_JVM, LOAD_JVM): jvm.sh.
source examples/bench/jvm.sh
jar=examples/target/reactive-ws-examples.jar
out=examples/target/bench
mkdir -p "$out"
results="$out/results-$(date +%Y%m%d-%H%M%S).txt"

# Ten thousand sockets each side need more descriptors than the usual soft limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

has_test() { [[ ",$tests," == *",$1,"* ]]; }

if $metrics_cost; then
  # Both are our server: "off" as always, "on" with meters into a Prometheus registry.
  servers=(on off)
  ours=on
  tests=echo
else
  IFS=, read -r -a servers <<<"$only"
  ours=ours
fi
peers=()
for s in "${servers[@]}"; do [ "$s" = "$ours" ] || peers+=("$s"); done
if $pairs && { [ ${#peers[@]} = ${#servers[@]} ] || [ ${#peers[@]} = 0 ]; }; then
  echo "--pairs needs ours and at least one peer in --only" >&2
  exit 2
fi

if $build; then
  echo "building (mvn -Pbench)..."
  mvn -q -B -DskipInstall -Pbench -pl examples -am package -DskipTests
fi

# Only a build with -Pbench compiles the peers into test-classes; one without it (any other
# `mvn -pl examples test`) leaves them out, and the run would stop at the first peer.
for s in "${servers[@]}"; do
  case "$s" in
    ours|on|off) ;;
    *) if [ ! -f examples/target/test-classes/io/reactivews/examples/bench/peer/PeerSupport.class ]
       then
         echo "the peers are not built: run without --no-build, or build with -Pbench first" >&2
         exit 2
       fi ;;
  esac
done

# What runs is what was built now: the jar and the peers copied aside, so that a build during
# the run (another module's tests, say) does not change it.
snapshot="$out/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$snapshot"
cp "$jar" examples/target/bench.classpath "$snapshot/"
cp -r examples/target/test-classes examples/target/classes "$snapshot/"
jar="$snapshot/reactive-ws-examples.jar"

port_of() { # server -> its port
  case "$1" in
    ours|on) echo "$base_port" ;;
    reactor-netty|off) echo $((base_port + 1)) ;;
    netty) echo $((base_port + 2)) ;;
    vertx) echo $((base_port + 3)) ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
}

command_of() { # server -> the java arguments that start it (after the JVM flags)
  # The examples' own classes too, for MemoryProbe: every server reads its memory the same way.
  local peers="$(cat "$snapshot/bench.classpath"):$snapshot/test-classes:$snapshot/classes"
  case "$1" in
    ours|off) echo "-jar $jar bench server" ;;
    on) echo "-jar $jar bench server --metrics" ;;
    reactor-netty) echo "-cp $peers io.reactivews.examples.bench.peer.ReactorNettyPeer" ;;
    netty) echo "-cp $peers io.reactivews.examples.bench.peer.RawNettyPeer" ;;
    vertx) echo "-cp $peers io.reactivews.examples.bench.peer.VertxPeer" ;;
  esac
}

declare -A pid_of=()
cleanup() {
  # A stopped process takes SIGTERM only once it runs again.
  for pid in "${pid_of[@]}"; do
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}

# Only the server under test runs on the server core: the others are stopped (SIGSTOP) in
# between, so that no idle neighbour's timers, GC or compiler threads take the core from it.
# They keep their warm code across rounds.
resume() { kill -CONT "${pid_of[$1]}"; }
park() { kill -STOP "${pid_of[$1]}"; }
trap cleanup EXIT

start() { # key server port [options...]: starts the server, waits for its start line
  local key=$1 server=$2 port=$3 log="$out/$1.log"
  shift 3
  rm -f "$log" # a start line left from an earlier run must not count
  # Under nohup: a parked (stopped) server gets SIGHUP, and its JVM exits, once the script's
  # process group is orphaned, as when a shell that started it in the background exits.
  # shellcheck disable=SC2086,SC2046
  taskset -c "$server_cpu" nohup java $server_jvm $(command_of "$server") --port "$port" "$@" \
    >"$log" 2>&1 </dev/null &
  pid_of[$key]=$!
  for _ in $(seq 1 150); do
    grep -q "bench server" "$log" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$server did not start:" >&2; cat "$log" >&2; exit 1
}

stop() { # key
  kill "${pid_of[$1]}" 2>/dev/null || true
  wait "${pid_of[$1]}" 2>/dev/null || true
  unset "pid_of[$1]"
}

bench() { # label port mode options...
  local label=$1 port=$2 mode=$3; shift 3
  # shellcheck disable=SC2086
  taskset -c "$load_cpu" java $load_jvm -jar "$jar" bench "$mode" --label "$label" \
    --stats "ws://127.0.0.1:$port/stats" "$@" | tee -a "$results" \
    || echo "# failed: $label $mode $*" | tee -a "$results" # the other runs go on
}

echo_tests() { # label port type [route: echo, or reply]
  local l=$1 p=$2 type=$3 route=${4:-echo} suffix=""
  local u="ws://127.0.0.1:$2/$route"
  [ "$type" = text ] && suffix=-text
  local w=(--warmup "$warmup" --duration "$duration" --type "$type")
  bench "$l" "$p" echo --url "$u" --test "$route-64B$suffix" --size 64 --connections 64 \
    --inflight 16 "${w[@]}"
  if $metrics_cost; then
    return # the meters are counted per message: the small messages show their cost
  fi
  bench "$l" "$p" echo --url "$u" --test "$route-16KiB$suffix" --size 16384 --connections 64 \
    --inflight 16 "${w[@]}"
  bench "$l" "$p" echo --url "$u" --test "$route-1MiB$suffix" --size 1048576 --connections 16 \
    --inflight 2 "${w[@]}"
}

turn() { # server group: the server's turn on the core for one group
  resume "$1"
  group "$1" "$2"
  park "$1"
}

units_of() { # group -> the parts that --pairs runs on ours and a peer back to back
  case "$1" in
    # Each part is a minute long: a pair of whole groups would put the two runs of a row two
    # minutes apart.
    broadcast-rate)
      echo rate-1000
      has_test broadcast-stalled && echo stalled-now
      echo rate-10000 ;;
    *) echo "$1" ;;
  esac
}

group() { # server group: one group of loads (--tests) on one server
  local s=$1 g=$2 p u
  p=$(port_of "$s")
  u="ws://127.0.0.1:$p"
  local b=(broadcast --url "$u/broadcast" --publish "$u/publish" --size 64 --warmup "$warmup")
  # At a fixed rate the load generator polls rather than sleeps between deliveries: asleep, it
  # had to be woken for each, and every server's send paid for the wake-up on loopback.
  local r=(broadcast --url "$u/broadcast" --publish "$u/publish" --size 64 \
    --warmup "$rate_warmup" --spin)
  case "$g" in
    echo) echo_tests "$s" "$p" binary ;;
    echo-text) echo_tests "$s" "$p" text ;;
    # The same loads through the application: each message read into its own memory (a byte
    # array, or a String for text) and answered with a new one made from it, where /echo relays.
    reply) echo_tests "$s" "$p" binary reply ;;
    reply-text) echo_tests "$s" "$p" text reply ;;
    latency)
      bench "$s" "$p" latency --url "$u/echo" --test latency-64B-5k/s --size 64 --rate 5000 \
        --connections 4 --warmup "$warmup" --duration "$duration" ;;
    idle)
      # A fresh server of its own: what N more idle connections cost a process that has not
      # yet carried traffic (its pools would hide native memory otherwise).
      local ip=$((p + 10))
      park "$s"
      start "idle-$s" "$s" "$ip"
      bench "$s" "$ip" idle --url "ws://127.0.0.1:$ip/echo" --test "idle-$idle" \
        --connections "$idle" --prime 500
      stop "idle-$s"
      resume "$s" ;;
    broadcast)
      for n in 1000 10000; do
        bench "$s" "$p" "${b[@]}" --test "bcast-$n-w32" --subscribers "$n" --inflight 32 \
          --duration "$duration"
      done ;;
    # A fixed 50,000 deliveries/s: 50 messages/s to 1,000 subscribers, 5/s to 10,000. The
    # stalled viewer's run, whose goal is against the run without it, right after that run.
    broadcast-rate)
      for unit in $(units_of broadcast-rate); do group "$s" "$unit"; done ;;
    rate-1000)
      bench "$s" "$p" "${r[@]}" --test bcast-1000-50/s --subscribers 1000 --rate 50 \
        --duration "$rate_duration" ;;
    rate-10000)
      bench "$s" "$p" "${r[@]}" --test bcast-10000-5/s --subscribers 10000 --rate 5 \
        --duration "$rate_duration" ;;
    broadcast-stalled) # alone; with broadcast-rate it runs there
      group "$s" stalled-now ;;
    stalled-now)
      bench "$s" "$p" "${r[@]}" --test bcast-1000-50/s-stalled1 --subscribers 1000 --rate 50 \
        --stalled 1 --duration "$rate_duration" ;;
    broadcast-deflate)
      # Compressed, as browsers ask for it: permessage-deflate, context takeover left to the
      # server. A fresh server of its own: a peer compresses only when started with --deflate
      # (ours by default), which would put its deflate codec in every other test's pipeline.
      # JSON of 2 KiB to 1,000 viewers at fixed rates, since a peer that keeps context makes the
      # load generator inflate every delivery (with a window it would set the pace): 10
      # messages/s, which every server keeps up with, then 50/s, the plain rows' rate.
      local dp=$((p + 20)) flags=(--deflate)
      [ "$s" = ours ] && flags=()
      park "$s"
      start "deflate-$s" "$s" "$dp" "${flags[@]}"
      for rate in 10 50; do
        bench "$s" "$dp" broadcast --url "ws://127.0.0.1:$dp/broadcast" \
          --publish "ws://127.0.0.1:$dp/publish" --size 2048 --json --deflate \
          --warmup "$rate_warmup" --test "bcast-deflate-1000-$rate/s" --subscribers 1000 \
          --rate "$rate" --duration "$rate_duration"
      done
      stop "deflate-$s"
      resume "$s" ;;
  esac
}

# Seconds per server and round, from the durations above and what each run costs around them
# (a JVM start, connections opened, GCs for the stats): printed before a run starts.
expected_seconds() {
  local t=0 groups=0
  has_test echo && t=$((t + 3 * (warmup + duration + 2)))
  has_test echo-text && t=$((t + 3 * (warmup + duration + 2)))
  has_test reply && t=$((t + 3 * (warmup + duration + 2)))
  has_test reply-text && t=$((t + 3 * (warmup + duration + 2)))
  has_test latency && t=$((t + warmup + duration + 2))
  has_test idle && t=$((t + 7 + idle / 2500))
  has_test broadcast && t=$((t + 2 * (warmup + duration + 3) + 4))
  has_test broadcast-rate && t=$((t + 2 * (rate_warmup + rate_duration + 3) + 4))
  has_test broadcast-stalled && t=$((t + rate_warmup + rate_duration + 3))
  has_test broadcast-deflate && t=$((t + 2 * (rate_warmup + rate_duration + 3) + 5))
  $metrics_cost && t=$((warmup + duration + 2))
  local pass=$((4 * warm_small + warm_16k + warm_1m + 6 * 2))
  local runs=${#servers[@]} # runs of each load per round
  $pairs && runs=$((2 * ${#peers[@]}))
  echo $((t * rounds * runs + (10 + pass) * ${#servers[@]}))
}

if ! $trace_warmup; then
  total=$(expected_seconds)
  echo "expected time: about $((total / 60)) min $((total % 60)) s"
fi
{
  echo "# date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# jdk: $(java -version 2>&1 | head -1)"
  echo "# servers (${servers[*]}) on cpu $server_cpu, load generator on cpu $load_cpu;" \
    "rounds $rounds; tests $tests$($pairs && echo "; in pairs")"
  echo "# server jvm: $server_jvm"
  echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$results"

if $trace_warmup; then
  # How long each server needs from a cold start to its steady pace: a fresh server per size,
  # 30 s of warm-up traced second by second (TICK lines), then 3 s measured.
  for s in "${servers[@]}"; do
    for size in 16384 1048576; do
      p=$(port_of "$s")
      start "trace-$s" "$s" "$p"
      if [ "$size" = 16384 ]; then shape=(--connections 64 --inflight 16); else
        shape=(--connections 16 --inflight 2); fi
      bench "$s" "$p" echo --url "ws://127.0.0.1:$p/echo" --test "warmup-$size" --size "$size" \
        "${shape[@]}" --warmup 30 --interval 1 --duration 3
      stop "trace-$s"
    done
  done
  echo
  echo "messages/s per second of the warm-up, from a cold start:"
  for size in 16384 1048576; do
    for s in "${servers[@]}"; do
      printf '%-14s %8s:' "$s" "$size"
      grep "^TICK $s warmup-$size " "$results" | sed 's/.*msgs_s=\([0-9]*\).*/ \1/' | tr -d '\n'
      echo
    done
  done
  echo "raw results: $results"
  exit 0
fi

for s in "${servers[@]}"; do
  start "$s" "$s" "$(port_of "$s")"
  park "$s"
done
# The warm-up pass: every echo load, from cold, not recorded (in $out/warm-pass.txt).
echo "== warm-up pass"
for s in "${servers[@]}"; do
  resume "$s"
  p=$(port_of "$s")
  for spec in "binary 64 64 16 $warm_small" "binary 16384 64 16 $warm_16k" \
      "binary 1048576 16 2 $warm_1m" "text 64 64 16 $warm_small" \
      "text 16384 64 16 $warm_small" "text 1048576 16 2 $warm_small"; do
    read -r type size conns inflight secs <<<"$spec"
    results="$out/warm-pass.txt" bench "$s" "$p" echo --url "ws://127.0.0.1:$p/echo" \
      --test "warm-$type-$size" --type "$type" --size "$size" --connections "$conns" \
      --inflight "$inflight" --warmup 0 --duration "$secs" >/dev/null
  done
  park "$s"
done

# Load by load: each group runs on every server in turn before the next group starts, so that
# the runs one table row compares sit minutes apart, not a whole suite apart (this machine's
# pace drifts over minutes; `bench table`'s round-by-round ratio pairs them).
count=${#servers[@]}
all_groups=(echo echo-text reply reply-text latency idle broadcast broadcast-rate
  broadcast-stalled broadcast-deflate)
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds"
  for g in "${all_groups[@]}"; do
    has_test "$g" || continue
    # The stalled viewer runs within broadcast-rate when both are asked for.
    [ "$g" = broadcast-stalled ] && has_test broadcast-rate && continue
    if $pairs; then
      for i in $(seq 0 $((${#peers[@]} - 1))); do
        peer=${peers[$(((i + round - 1) % ${#peers[@]}))]}
        if ((round % 2)); then order=("$ours" "$peer"); else order=("$peer" "$ours"); fi
        for unit in $(units_of "$g"); do
          echo "PAIR $peer" >>"$results" # bench table pairs the runs that follow
          for s in "${order[@]}"; do turn "$s" "$unit"; done
        done
      done
      continue
    fi
    for i in $(seq 0 $((count - 1))); do
      turn "${servers[$(((i + round - 1) % count))]}" "$g"
    done
  done
done
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"

echo
grep '^#' "$results"
java -jar "$jar" bench table "$results" --ours "$ours" --servers "$(IFS=,; echo "${servers[*]}")"
echo
echo "raw results: $results"
exit
}
