package io.reactivews.examples.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the load generator can learn about a server on this machine: its CPU time from {@code
 * /proc/<pid>/stat}, and its heap after a full GC from the bench servers' {@code /stats} route
 * (any message there answers {@code pid=<pid> heap=<bytes>}). With no stats URL and no pid it
 * knows nothing, and the figures that need it are left out.
 */
final class ServerProbe {

  /** Linux reports CPU time in clock ticks of 1/100 s. */
  private static final double TICK_SECONDS = 0.01;

  private final URI statsUrl;
  private final long pid;

  private ServerProbe(URI statsUrl, long pid) {
    this.statsUrl = statsUrl;
    this.pid = pid;
  }

  /** A probe of the server behind {@code statsUrl} (may be null), or of {@code pid} if positive. */
  static ServerProbe of(String statsUrl, long pid) throws IOException {
    URI url = statsUrl == null ? null : URI.create(statsUrl);
    ServerProbe probe = new ServerProbe(url, pid);
    if (pid <= 0 && url != null) {
      probe = new ServerProbe(url, probe.counters().pid());
    }
    return probe;
  }

  boolean knowsCpu() {
    return pid > 0 && Files.exists(statPath());
  }

  boolean knowsHeap() {
    return statsUrl != null;
  }

  /** User plus system CPU time of the server process so far, in seconds. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(statPath());
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * TICK_SECONDS;
  }

  /**
   * Waits, for 10 s at most, until the server has used under a tenth of a core for half a
   * second: a run starts on a quiet server, not on one still closing the last run's 10,000
   * connections. Returns at once when the server's CPU time cannot be read.
   */
  void awaitQuiet() throws IOException, InterruptedException {
    if (!knowsCpu()) {
      return;
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    double before = cpuSeconds();
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      double now = cpuSeconds();
      if (now - before < 0.05) {
        return;
      }
      before = now;
    }
  }

  /**
   * The CPU time this process (the load generator) has used so far, in seconds: over a run, it
   * shows whether the load generator's one thread kept up or set the pace itself.
   */
  static double ownCpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration()
        .map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  /** The server's used heap right after it ran a full GC. */
  long heapAfterGc() throws IOException {
    return ask("gc").heap;
  }

  /**
   * Everything the stats route says, after a full GC: heap, resident memory, and compression
   * counters (-1 where the server does not say).
   */
  Answer snapshot() throws IOException {
    return ask("gc");
  }

  /**
   * The compression counters (and a heap figure without a collection): what a load reads around
   * its measured window, where a full GC would stall the server it measures.
   */
  Answer counters() throws IOException {
    return ask(MemoryProbe.COUNTERS);
  }

  private Path statPath() {
    return Path.of("/proc/" + pid + "/stat");
  }

  record Answer(long pid, long heap, long rss, long deflateRuns, long deflateMessages) {}

  private Answer ask(String question) throws IOException {
    BenchSocket socket = BenchSocket.open(statsUrl, 4096);
    try (Selector selector = Selector.open()) {
      StringBuilder text = new StringBuilder();
      boolean[] done = {false};
      socket.register(selector, new BenchSocket.Listener() {
        @Override
        public void onPayload(BenchSocket s, ByteBuffer slice) {
          text.append(StandardCharsets.UTF_8.decode(slice));
        }

        @Override
        public void onMessage(BenchSocket s, int opcode, long length) {
          done[0] = true;
        }
      }, null);
      socket.queue(Frames.masked(Frames.TEXT, question.getBytes(StandardCharsets.US_ASCII),
          ThreadLocalRandom.current().nextInt()).duplicate());
      socket.flush();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!done[0] && !socket.isClosed() && System.nanoTime() < deadline) {
        selector.select(100);
        if (!selector.selectedKeys().isEmpty()) {
          selector.selectedKeys().clear();
          socket.onReady();
        }
      }
      if (!done[0]) {
        throw new IOException("no answer from " + statsUrl);
      }
      return parse(text.toString());
    } finally {
      socket.closeGracefully();
    }
  }

  private static Answer parse(String answer) throws IOException {
    long pid = -1;
    long heap = -1;
    long rss = -1;
    long runs = -1;
    long messages = -1;
    for (String field : answer.trim().split(" ")) {
      if (field.startsWith("pid=")) {
        pid = Long.parseLong(field.substring(4));
      } else if (field.startsWith("heap=")) {
        heap = Long.parseLong(field.substring(5));
      } else if (field.startsWith("rss=")) {
        rss = Long.parseLong(field.substring(4));
      } else if (field.startsWith("deflate_runs=")) {
        runs = Long.parseLong(field.substring(13));
      } else if (field.startsWith("deflate_msgs=")) {
        messages = Long.parseLong(field.substring(13));
      }
    }
    if (pid < 0 || heap < 0) {
      throw new IOException("not a stats answer: " + answer);
    }
    return new Answer(pid, heap, rss, runs, messages);
  }
}
