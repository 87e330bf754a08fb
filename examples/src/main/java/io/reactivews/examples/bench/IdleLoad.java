package io.reactivews.examples.bench;

import io.reactivews.examples.Args;
import java.net.URI;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle connections: opens N, holds them (answering pings), and reports what each costs the
 * server in heap: used heap after a full GC, before and after, divided by N. (Resident memory
 * says little here: a JVM does not give back pages after a GC.) Needs a bench server's {@code
 * /stats} route to read the heap.
 */
final class IdleLoad {

  private IdleLoad() {}

  static Report run(Args args) throws Exception {
    URI url = URI.create(args.get("url", "ws://127.0.0.1:9001/echo"));
    int connections = args.getInt("connections", 10_000);
    double hold = Double.parseDouble(args.get("hold", "2"));
    ServerProbe probe = ServerProbe.of(args.get("stats", null), args.getInt("pid", -1));
    if (!probe.knowsHeap()) {
      throw new IllegalArgumentException("idle needs --stats ws://.../stats of a bench server");
    }
    long heap0 = probe.heapAfterGc();
    List<BenchSocket> sockets = new ArrayList<>(connections);
    BenchSocket.Listener ignore = new BenchSocket.Listener() {
      @Override
      public void onPayload(BenchSocket socket, java.nio.ByteBuffer slice) {}

      @Override
      public void onMessage(BenchSocket socket, int opcode, long length) {}
    };
    try (Selector selector = Selector.open()) {
      long t0 = System.nanoTime();
      BenchSocket.openMany(url, connections, 1024, 128, sockets);
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      for (BenchSocket socket : sockets) {
        socket.register(selector, ignore, null);
      }
      long end = System.nanoTime() + (long) (hold * 1e9);
      while (System.nanoTime() < end) {
        selector.select(100);
        BenchSocket.serveReady(selector);
      }
      long heap1 = probe.heapAfterGc();
      long open = sockets.stream().filter(s -> !s.isClosed()).count();
      Report report = new Report(args.get("label", "server"),
          args.get("test", "idle-" + connections))
          .put("connections", open)
          .put("heap_B_conn", (heap1 - heap0) / (double) connections)
          .put("opens_s", connections / openSeconds);
      return report;
    } finally {
      sockets.forEach(BenchSocket::closeGracefully);
    }
  }
}
