package io.reactivews.examples.bench;

import io.reactivews.examples.Args;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Round-trip latency at a fixed rate: messages go out on a schedule, R per second spread over C
 * connections, whatever comes back; each echo is checked and timed from the moment its message
 * was due, so a server that stalls is charged for the messages that waited behind the stall.
 * Reports p50, p99, p99.9 and the maximum.
 */
final class LatencyLoad implements BenchSocket.Listener {

  private final int opcode;
  private final byte[] payload;
  private final ByteBuffer frame;
  private long[] samples;
  private int count;
  /** Messages due in [countFrom, countUntil) are timed; those before warm up. */
  private long countFrom = Long.MAX_VALUE;
  private long countUntil;
  private long mismatches;
  private long outstanding;

  /** Per connection: when each message in flight was due, oldest first. */
  private static final class InFlight {
    final ArrayDeque<Long> due = new ArrayDeque<>();
    final EchoCheck check = new EchoCheck();
  }

  private LatencyLoad(int opcode, int size, int expected) {
    this.opcode = opcode;
    this.payload = Frames.payload(opcode, size, 0);
    this.frame = Frames.prepared(opcode, payload, ThreadLocalRandom.current().nextInt());
    this.samples = new long[expected];
  }

  static Report run(Args args) throws Exception {
    URI url = URI.create(args.get("url", "ws://127.0.0.1:9001/echo"));
    int connections = args.getInt("connections", 4);
    int rate = args.getInt("rate", 5000);
    int size = args.getInt("size", 64);
    String type = args.has("text") ? "text" : args.get("type", "binary");
    double warmup = Double.parseDouble(args.get("warmup", "2"));
    double duration = Double.parseDouble(args.get("duration", "5"));
    LatencyLoad load = new LatencyLoad(Frames.opcode(type), size, (int) (rate * duration) + 1024);
    ServerProbe.of(args.get("stats", null), args.getInt("pid", -1)).awaitQuiet();
    List<BenchSocket> sockets = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      BenchSocket.openMany(url, connections, 64 << 10, 64, sockets);
      for (BenchSocket socket : sockets) {
        socket.register(selector, load, new InFlight());
      }
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      long end = start + (long) ((warmup + duration) * 1e9);
      load.countFrom = start + (long) (warmup * 1e9);
      load.countUntil = end;
      long next = start;
      int turn = 0;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        while (next <= now) {
          BenchSocket socket = sockets.get(turn++ % sockets.size());
          ((InFlight) socket.attachment()).due.add(next);
          socket.queue(load.frame.duplicate());
          load.outstanding++;
          next += interval;
        }
        for (BenchSocket socket : sockets) {
          socket.flush();
        }
        // Spin when the next message is due within a millisecond: select() sleeps in whole ms.
        long wait = next - System.nanoTime();
        if (wait > 1_500_000) {
          selector.select(1);
        } else {
          selector.selectNow();
        }
        BenchSocket.serveReady(selector);
      }
      long drainUntil = System.nanoTime() + 5_000_000_000L;
      while (load.outstanding > 0 && System.nanoTime() < drainUntil) {
        selector.select(10);
        BenchSocket.serveReady(selector);
      }
      return new Report(args.get("label", "server"),
          args.get("test", "latency-" + size + "-" + rate))
          .put("rate", rate)
          .put("samples", load.count)
          .latencies("", load.samples, load.count)
          .put("mismatches", load.mismatches)
          .put("lost", load.outstanding);
    } finally {
      sockets.forEach(BenchSocket::closeGracefully);
    }
  }

  @Override
  public void onPayload(BenchSocket socket, ByteBuffer slice) {
    InFlight flight = socket.attachment();
    flight.check.piece(slice, payload);
  }

  @Override
  public void onMessage(BenchSocket socket, int opcode, long length) {
    long now = System.nanoTime();
    InFlight flight = socket.attachment();
    Long due = flight.due.poll();
    if (!flight.check.end(opcode, length, this.opcode, payload) || due == null) {
      mismatches++;
    }
    outstanding--;
    if (due != null && due >= countFrom && due < countUntil && count < samples.length) {
      samples[count++] = now - due;
    }
  }
}
