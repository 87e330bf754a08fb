package io.reactivews.examples.bench;

import io.reactivews.examples.Args;
import io.reactivews.examples.PrometheusMetrics;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code bench} program: a load generator for any ws:// server, the server we measure, and
 * the table that compares rounds. See {@link #USAGE}; {@code examples/bench/compare.sh} runs a
 * whole comparison.
 *
 * <pre>
 * java -jar reactive-ws-examples.jar bench server --port 9001
 * java -jar reactive-ws-examples.jar bench echo --url ws://127.0.0.1:9001/echo --size 64
 * </pre>
 */
public final class Bench {

  static final String USAGE = """
      usage: bench <mode> [options]

      modes:
        server     our bench server: /echo /publish /broadcast /stats  [--host --port 9001]
                   [--deflate-context: permessage-deflate keeps context, not the default]
                   [--ping-interval 20: keepalive pings, seconds; 0 for none]
        echo       echo throughput: --url --connections 16 --inflight 16 --size 64
                   [--text: valid UTF-8 text, not binary] --warmup 2 --duration 5
                   [--interval S: the pace of every S seconds of the warm-up]
        latency    round trip at a fixed rate: --url --rate 5000 --connections 4 --size 64
        idle       memory per idle connection, heap + native: --url --connections 10000
                   --hold 2 [--prime 500: opened and closed first] (needs --stats)
                   [--deflate: offer permessage-deflate] [--first-message BYTES: one each first]
        broadcast  one publisher to N sessions: --url ws://.../broadcast
                   --publish ws://.../publish --subscribers 1000 --size 64
                   --inflight 32 (a window) | --rate R (messages/s on a schedule: lag from it)
                   [--spin: at a fixed rate, poll the sockets rather than sleep between
                   deliveries, so no send has to wake the load generator]
                   [--stalled K: K more subscribers that never read, in no figure]
                   [--deflate: subscribers offer permessage-deflate] [--json: text-like payload]
        table      medians of RESULT lines and ratios to the best peer: <files...>
                   [--ours ours] [--servers ours,reactor-netty,netty,vertx | --theirs NAME]

      common: --label NAME (names the server in RESULT lines)
              --stats ws://host:port/stats (a bench server's pid and heap: CPU per message)
              --pid N (the server's pid, for CPU time, when it has no /stats route)
      """;

  private Bench() {}

  /** The table's columns: {@code --servers a,b,c}, or {@code --ours} and {@code --theirs}. */
  private static List<String> servers(Args args) {
    String ours = args.get("ours", "ours");
    if (args.has("theirs")) {
      return List.of(ours, args.get("theirs", "theirs"));
    }
    return List.of(args.get("servers", ours + ",reactor-netty,netty,vertx").split(","));
  }

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0 || argv[0].equals("--help")) {
      System.out.print(USAGE);
      return;
    }
    Args args = Args.parse(Arrays.copyOfRange(argv, 1, argv.length),
        "deflate", "deflate-context", "json", "text", "spin", PrometheusMetrics.FLAG);
    switch (argv[0]) {
      case "server" -> BenchServer.main(args);
      case "echo" -> EchoLoad.run(args).print();
      case "latency" -> LatencyLoad.run(args).print();
      case "idle" -> IdleLoad.run(args).print();
      case "broadcast" -> BroadcastLoad.run(args).print();
      case "table" -> ResultTable.print(args.positional(), servers(args),
          args.get("ours", "ours"));
      default -> {
        System.err.print("unknown mode: " + argv[0] + "\n\n" + USAGE);
        System.exit(2);
      }
    }
  }
}
