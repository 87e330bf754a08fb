package io.reactivews.examples.bench.peer;

import io.reactivews.examples.bench.MemoryProbe;

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
   * The {@code /stats} answer: pid, heap in use after a full collection and resident memory, read
   * as our bench server reads them ({@link MemoryProbe}). Blocks for a few hundred milliseconds:
   * call it off the event loop.
   */
  static String stats() {
    long heap = -1;
    try {
      heap = MemoryProbe.liveHeap();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "pid=" + ProcessHandle.current().pid() + " heap=" + heap
        + " rss=" + MemoryProbe.residentBytes();
  }

  /** The line compare.sh waits for before it sends load. */
  static void announce(String what, Options options, int boundPort) {
    System.out.println("bench server (" + what + ") on ws://" + options.host() + ":" + boundPort
        + " pid " + ProcessHandle.current().pid());
  }
}
