package io.reactivews.examples;

/**
 * The shell every server example shares: {@code --help}, {@code --host} and {@code --port},
 * start, say where to look, and stop cleanly on Ctrl-C.
 */
public final class ServerProgram {

  /** A started program: what to tell the user, and how to stop it. */
  public record Running(String banner, Runnable stop) {}

  /** Starts a program from its options. */
  @FunctionalInterface
  public interface Starter {
    Running start(Args args, String host, int port) throws Exception;
  }

  private ServerProgram() {}

  /** Runs until the JVM is asked to stop; {@code usage} is printed for {@code --help}. */
  public static void run(String[] argv, String usage, int defaultPort, Starter starter)
      throws Exception {
    Args args = Args.parse(argv);
    if (args.has("help")) {
      System.out.println(usage);
      return;
    }
    Running running = starter.start(args, args.get("host", "127.0.0.1"),
        args.getInt("port", defaultPort));
    System.out.println(running.banner() + " (Ctrl-C stops it)");
    Runtime.getRuntime().addShutdownHook(new Thread(running.stop()));
    Thread.currentThread().join();
  }
}
