package io.reactivews.examples;

import io.reactivews.examples.autobahn.AutobahnClient;
import io.reactivews.examples.bench.Bench;
import io.reactivews.examples.chat.ChatServer;
import io.reactivews.examples.client.ClientCli;
import io.reactivews.examples.echo.EchoServer;
import io.reactivews.examples.events.EventsServer;
import io.reactivews.examples.socketio.MatchReporter;
import io.reactivews.examples.stats.StatsServer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples jar's entry point: the first argument picks the program.
 *
 * <pre>
 * java -jar examples/target/reactive-ws-examples.jar chat --port 8080
 * </pre>
 */
public final class Main {

  /** A program in the jar: its name, a one-line summary, and its main. */
  interface Program {
    void run(String[] args) throws Exception;
  }

  private static final Map<String, String> SUMMARIES = new LinkedHashMap<>();
  private static final Map<String, Program> PROGRAMS = new LinkedHashMap<>();

  static {
    register("chat", "chat server with its own web page (the main demo)", ChatServer::main);
    register("echo", "echo server for conformance runs and benchmarks", EchoServer::main);
    register("events", "typed JSON events with request/response by id", EventsServer::main);
    register("stats", "live game statistics for browsers (broadcast policies)", StatsServer::main);
    register("client", "command-line client: lines in, messages out", ClientCli::main);
    register("socketio", "a game server reporting matches to a Socket.IO backend",
        MatchReporter::main);
    register("autobahn-client", "drives the client through an Autobahn fuzzing server",
        AutobahnClient::main);
    register("bench", "load generator for the benchmarks (examples/bench)", Bench::main);
  }

  private static void register(String name, String summary, Program program) {
    SUMMARIES.put(name, summary);
    PROGRAMS.put(name, program);
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(usage());
      return;
    }
    Program program = PROGRAMS.get(args[0]);
    if (program == null) {
      System.err.println("unknown program: " + args[0] + "\n\n" + usage());
      System.exit(2);
      return;
    }
    program.run(Arrays.copyOfRange(args, 1, args.length));
  }

  static String usage() {
    StringBuilder sb = new StringBuilder(
        "usage: java -jar reactive-ws-examples.jar <program> [options]\n\nprograms:\n");
    SUMMARIES.forEach((name, summary) ->
        sb.append(String.format("  %-16s %s%n", name, summary)));
    sb.append("\nEach program takes --help.");
    return sb.toString();
  }
}
