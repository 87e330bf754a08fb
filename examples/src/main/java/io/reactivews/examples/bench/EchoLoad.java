package io.reactivews.examples.bench;

import io.reactivews.examples.Args;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Echo throughput: C connections keep W messages of S bytes in flight each; every echo is checked
 * byte for byte against what was sent (its payload, length and type, in order), and mismatches are
 * counted. Text payloads ({@code --text}) are valid UTF-8 with characters of every length.
 * Reports messages/s and MB/s of payload each way, the server's CPU time per message when it is
 * local, and the load generator's own CPU ({@code load_cpu_pct}, of its one core). With {@code
 * --interval S} it prints the pace of every S seconds of the warm-up ({@code TICK} lines): how
 * long a server takes to reach its steady state.
 */
final class EchoLoad implements BenchSocket.Listener {

  /** Distinct payloads sent in turn, so that an echo of the wrong message does not match. */
  private static final int PAYLOADS = 8;

  private final int opcode;
  private final byte[][] payloads = new byte[PAYLOADS][];
  private final ByteBuffer[] frames = new ByteBuffer[PAYLOADS];
  private boolean sending = true;
  private boolean counting;
  private long messages;
  private long mismatches;
  private long outstanding;

  /** Per connection: which payload comes back next, and the check of the one arriving. */
  private static final class Pace {
    final EchoCheck check = new EchoCheck();
    int sent;
    int received;
  }

  private EchoLoad(int opcode, int size) {
    this.opcode = opcode;
    for (int i = 0; i < PAYLOADS; i++) {
      payloads[i] = Frames.payload(opcode, size, i);
      frames[i] = Frames.prepared(opcode, payloads[i], ThreadLocalRandom.current().nextInt());
    }
  }

  static Report run(Args args) throws Exception {
    URI url = URI.create(args.get("url", "ws://127.0.0.1:9001/echo"));
    int connections = args.getInt("connections", 16);
    int inflight = args.getInt("inflight", 16);
    int size = args.getInt("size", 64);
    String type = args.has("text") ? "text" : args.get("type", "binary");
    double interval = Double.parseDouble(args.get("interval", "0"));
    double warmup = Double.parseDouble(args.get("warmup", "2"));
    double duration = Double.parseDouble(args.get("duration", "5"));
    ServerProbe probe = ServerProbe.of(args.get("stats", null), args.getInt("pid", -1));
    EchoLoad load = new EchoLoad(Frames.opcode(type), size);
    probe.awaitQuiet();
    List<BenchSocket> sockets = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      BenchSocket.openMany(url, connections, Math.max(64 << 10, Math.min(size + 16, 1 << 20)),
          64, sockets);
      for (BenchSocket socket : sockets) {
        socket.register(selector, load, new Pace());
        for (int i = 0; i < inflight; i++) {
          load.send(socket);
        }
        socket.flush();
      }
      String label = args.get("label", "server");
      String test = args.get("test", "echo-" + type + "-" + size);
      if (interval > 0) {
        load.trace(selector, warmup, interval, label, test, probe);
      } else {
        load.loop(selector, warmup);
      }
      load.counting = true;
      double cpu0 = probe.knowsCpu() ? probe.cpuSeconds() : 0;
      double ownCpu0 = ServerProbe.ownCpuSeconds();
      long t0 = System.nanoTime();
      load.loop(selector, duration);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = probe.knowsCpu() ? probe.cpuSeconds() - cpu0 : -1;
      double ownCpu = ServerProbe.ownCpuSeconds() - ownCpu0;
      load.counting = false;
      load.sending = false;
      long drainUntil = System.nanoTime() + 5_000_000_000L;
      while (load.outstanding > 0 && System.nanoTime() < drainUntil) {
        load.loop(selector, 0.05);
      }
      Report report = new Report(label, test)
          .put("msgs_s", load.messages / seconds)
          .put("MB_s", load.messages * (double) size / seconds / 1e6)
          .put("mismatches", load.mismatches)
          .put("lost", load.outstanding);
      if (cpu >= 0) {
        report.put("cpu_us_msg", cpu * 1e6 / load.messages).put("cpu_pct", 100 * cpu / seconds);
      }
      return report.put("load_cpu_pct", 100 * ownCpu / seconds);
    } finally {
      sockets.forEach(BenchSocket::closeGracefully);
    }
  }

  private void send(BenchSocket socket) {
    Pace pace = socket.attachment();
    socket.queue(frames[pace.sent++ % PAYLOADS].duplicate());
    outstanding++;
  }

  /**
   * The warm-up, traced: messages/s and server CPU per message in every interval over {@code
   * seconds}, one {@code TICK} line each, to see how long a server takes to reach its pace.
   */
  private void trace(Selector selector, double seconds, double interval, String label,
      String test, ServerProbe probe) throws IOException {
    counting = true;
    for (double t = interval; t <= seconds + 1e-9; t += interval) {
      long before = messages;
      double cpu0 = probe.knowsCpu() ? probe.cpuSeconds() : 0;
      long t0 = System.nanoTime();
      loop(selector, interval);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double cpu = probe.knowsCpu() ? probe.cpuSeconds() - cpu0 : Double.NaN;
      System.out.printf(java.util.Locale.ROOT, "TICK %s %s t=%.0f msgs_s=%.1f cpu_us_msg=%.2f%n",
          label, test, t, (messages - before) / elapsed, cpu * 1e6 / (messages - before));
    }
    counting = false;
    messages = 0;
  }

  private void loop(Selector selector, double seconds) throws IOException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      selector.select(10);
      BenchSocket.serveReady(selector);
    }
  }

  @Override
  public void onPayload(BenchSocket socket, ByteBuffer slice) {
    Pace pace = socket.attachment();
    pace.check.piece(slice, payloads[pace.received % PAYLOADS]);
  }

  @Override
  public void onMessage(BenchSocket socket, int opcode, long length) {
    Pace pace = socket.attachment();
    byte[] expected = payloads[pace.received % PAYLOADS];
    boolean bad = !pace.check.end(opcode, length, this.opcode, expected);
    pace.received++;
    outstanding--;
    if (bad) {
      mismatches++;
    }
    if (counting) {
      messages++;
    }
    if (sending) {
      send(socket);
    }
  }
}
