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
 * counted. Reports messages/s and MB/s of payload each way, and the server's CPU time per message
 * when it is local.
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
    String type = args.get("type", "binary");
    double warmup = Double.parseDouble(args.get("warmup", "2"));
    double duration = Double.parseDouble(args.get("duration", "5"));
    ServerProbe probe = ServerProbe.of(args.get("stats", null), args.getInt("pid", -1));
    EchoLoad load = new EchoLoad(Frames.opcode(type), size);
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
      load.loop(selector, warmup);
      load.counting = true;
      double cpu0 = probe.knowsCpu() ? probe.cpuSeconds() : 0;
      long t0 = System.nanoTime();
      load.loop(selector, duration);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = probe.knowsCpu() ? probe.cpuSeconds() - cpu0 : -1;
      load.counting = false;
      load.sending = false;
      long drainUntil = System.nanoTime() + 5_000_000_000L;
      while (load.outstanding > 0 && System.nanoTime() < drainUntil) {
        load.loop(selector, 0.05);
      }
      Report report = new Report(args.get("label", "server"),
          args.get("test", "echo-" + type + "-" + size))
          .put("msgs_s", load.messages / seconds)
          .put("MB_s", load.messages * (double) size / seconds / 1e6)
          .put("mismatches", load.mismatches)
          .put("lost", load.outstanding);
      if (cpu >= 0) {
        report.put("cpu_us_msg", cpu * 1e6 / load.messages).put("cpu_pct", 100 * cpu / seconds);
      }
      return report;
    } finally {
      sockets.forEach(BenchSocket::closeGracefully);
    }
  }

  private void send(BenchSocket socket) {
    Pace pace = socket.attachment();
    socket.queue(frames[pace.sent++ % PAYLOADS].duplicate());
    outstanding++;
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
