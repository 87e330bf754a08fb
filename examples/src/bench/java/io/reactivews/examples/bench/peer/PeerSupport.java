package io.reactivews.examples.bench.peer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every comparison peer shares with our bench server: its options, its limits, the answer
 * of its {@code /stats} route and the start line that {@code examples/bench/compare.sh} waits for.
 */
final class PeerSupport {

  /** The largest frame and message every bench server takes, as ours does. */
  static final int MAX_MESSAGE = 16 << 20;

  private PeerSupport() {}

  /** {@code --host} and {@code --port}, the only options a peer takes. */
  record Options(String host, int port) {

    static Options parse(String[] args, int defaultPort) {
      String host = "127.0.0.1";
      int port = defaultPort;
      for (int i = 0; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--host" -> host = args[i + 1];
          case "--port" -> port = Integer.parseInt(args[i + 1]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(host, port);
    }
  }

  /**
   * The {@code /stats} answer: pid, heap in use after a full collection and resident memory, as
   * our bench server gives them. Blocks for a few hundred milliseconds: call it off the event
   * loop.
   */
  static String stats() {
    try {
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return "pid=" + ProcessHandle.current().pid() + " heap=" + heap + " rss=" + residentBytes();
  }

  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return -1;
  }

  /** The line compare.sh waits for before it sends load. */
  static void announce(String what, Options options, int boundPort) {
    System.out.println("bench server (" + what + ") on ws://" + options.host() + ":" + boundPort
        + " pid " + ProcessHandle.current().pid());
  }
}
