package io.reactivews.examples;

import java.net.BindException;
import reactor.netty.ChannelBindException;

/**
 * The shell every server example shares: {@code --help}, {@code --host} and {@code --port},
 * start, say where to look, and stop cleanly on Ctrl-C. A port that is taken or an option that
 * is wrong ends the program with one line that says what to do, not a stack trace.
 */
public final class ServerProgram {

  /** A started program: what to tell the user, and how to stop it. */
  public record Running(String banner, Runnable stop) {}

  /** Starts a program from its options. */
  @FunctionalInterface
  public interface Starter {
    Running start(Args args, String host, int port) throws Exception;
  }

  /** Why a program could not start, in words for the person who started it. */
  static final class CannotStart extends Exception {
    CannotStart(String message) {
      super(message, null, false, false);
    }
  }

  private ServerProgram() {}

  /** Runs until the JVM is asked to stop; {@code usage} is printed for {@code --help}. */
  public static void run(String[] argv, String usage, int defaultPort, Starter starter)
      throws Exception {
    Running running;
    try {
      running = start(argv, usage, defaultPort, starter);
    } catch (CannotStart e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (running == null) {
      return;
    }
    System.out.println(running.banner() + " (Ctrl-C stops it)");
    Runtime.getRuntime().addShutdownHook(new Thread(running.stop()));
    Thread.currentThread().join();
  }

  /** Starts the program; null once {@code --help} has been printed. */
  static Running start(String[] argv, String usage, int defaultPort, Starter starter)
      throws Exception {
    String host;
    int port;
    Args args;
    try {
      args = Args.parse(argv, PrometheusMetrics.FLAG);
      host = args.get("host", "127.0.0.1");
      port = args.getInt("port", defaultPort);
    } catch (IllegalArgumentException e) {
      throw new CannotStart(e.getMessage() + "\n" + usage);
    }
    if (args.has("help")) {
      System.out.println(usage);
      return null;
    }
    try {
      return starter.start(args, host, port);
    } catch (RuntimeException e) {
      if (isBindFailure(e)) {
        throw new CannotStart(cannotListen(host, port, e));
      }
      throw e;
    }
  }

  static String cannotListen(String host, int port, Throwable failure) {
    String why = rootMessage(failure);
    String said = why.toLowerCase().contains("in use")
        ? "port " + port + " is already in use (another program, or this one still running?)"
        : why;
    return "cannot listen on " + host + ":" + port + ": " + said + "\n"
        + "Start it on another port with --port, e.g. --port " + (port == 65535 ? 8081 : port + 1)
        + " (--port 0 picks any free port and prints it).";
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ChannelBindException || t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
