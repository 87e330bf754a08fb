package io.reactivews.examples.bench;

import io.reactivews.examples.Args;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;

/**
 * Idle connections: opens N, holds them (answering pings), and reports what each costs the
 * server: heap ({@code heap_B_conn}: used heap after a full GC, before and after, divided by N),
 * native ({@code native_B_conn}: the growth of the process's resident memory, divided by N) and
 * their sum ({@code total_B_conn}). Resident memory only reads as native with the server's heap
 * resident from the start ({@code -XX:+AlwaysPreTouch}, as compare.sh starts every server): a
 * heap page touched for the first time would count as native otherwise, and a JVM does not give
 * pages back after a GC. {@code --prime N} opens and closes N connections first, so that the
 * classes and code a connection needs are loaded before the baseline. Needs a bench server's
 * {@code /stats} route to read the heap.
 *
 * <p>With {@code --deflate} each connection offers permessage-deflate, and with {@code
 * --first-message BYTES} sends one compressed JSON message and waits for its echo before
 * going idle, so that whatever compression state a mode keeps per connection exists (zlib's
 * memory is native, out of the heap).
 */
final class IdleLoad {

  private IdleLoad() {}

  /** One message per connection, compressed if asked, each answered before going on. */
  private static void sendFirstMessages(Selector selector, List<BenchSocket> sockets, int size,
      boolean deflate, long[] received) throws java.io.IOException {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; json.length() < size - 40; i++) {
      json.append("{\"player\":\"p").append(i).append("\",\"score\":").append(i * 37)
          .append("},");
    }
    byte[] payload = json.append("{}]").toString().getBytes(StandardCharsets.UTF_8);
    byte[] wire = deflate ? deflate(payload) : payload;
    for (BenchSocket socket : sockets) {
      ByteBuffer frame = Frames.masked(Frames.TEXT, wire, ThreadLocalRandom.current().nextInt());
      if (deflate) {
        frame.put(0, (byte) (frame.get(0) | 0x40)); // RSV1: compressed
      }
      socket.queue(frame);
      socket.flush();
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (received[0] < sockets.size() && System.nanoTime() < deadline) {
      selector.select(100);
      BenchSocket.serveReady(selector);
    }
    if (received[0] < sockets.size()) {
      throw new java.io.IOException("only " + received[0] + " of " + sockets.size()
          + " first messages were echoed");
    }
  }

  /** A message compressed alone as RFC 7692 says: raw deflate, sync flush, tail removed. */
  static byte[] deflate(byte[] message) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(message);
      byte[] out = new byte[message.length + 64];
      int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
      return java.util.Arrays.copyOf(out, n - 4);
    } finally {
      deflater.end();
    }
  }

  /**
   * Opens {@code count} connections and closes them again before the baseline is taken, so
   * that the classes and code of a connection's life are loaded before, not counted as memory
   * per connection.
   */
  private static void prime(URI url, int count) throws Exception {
    if (count <= 0) {
      return;
    }
    List<BenchSocket> sockets = new ArrayList<>(count);
    try {
      BenchSocket.openMany(url, count, 1024, 128, sockets);
    } finally {
      sockets.forEach(BenchSocket::closeGracefully);
    }
    Thread.sleep(1000); // the server closes them
  }

  static Report run(Args args) throws Exception {
    URI url = URI.create(args.get("url", "ws://127.0.0.1:9001/echo"));
    int connections = args.getInt("connections", 10_000);
    double hold = Double.parseDouble(args.get("hold", "2"));
    ServerProbe probe = ServerProbe.of(args.get("stats", null), args.getInt("pid", -1));
    if (!probe.knowsHeap()) {
      throw new IllegalArgumentException("idle needs --stats ws://.../stats of a bench server");
    }
    boolean deflate = args.has("deflate");
    int firstMessage = args.getInt("first-message", 0);
    prime(url, args.getInt("prime", 0));
    ServerProbe.Answer before = probe.snapshot();
    long heap0 = before.heap();
    List<BenchSocket> sockets = new ArrayList<>(connections);
    long[] received = {0, 0};
    BenchSocket.Listener count = new BenchSocket.Listener() {
      @Override
      public void onPayload(BenchSocket socket, java.nio.ByteBuffer slice) {}

      @Override
      public void onMessage(BenchSocket socket, int opcode, long length) {
        received[0]++;
        received[1] += socket.messageCompressed() ? 1 : 0;
      }
    };
    try (Selector selector = Selector.open()) {
      long t0 = System.nanoTime();
      BenchSocket.openMany(url, connections, firstMessage > 0 ? 4096 : 1024, 128,
          deflate ? BenchSocket.DEFLATE_OFFER : "", sockets);
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      for (BenchSocket socket : sockets) {
        socket.register(selector, count, null);
      }
      if (firstMessage > 0) {
        sendFirstMessages(selector, sockets, firstMessage, deflate, received);
      }
      long end = System.nanoTime() + (long) (hold * 1e9);
      while (System.nanoTime() < end) {
        selector.select(100);
        BenchSocket.serveReady(selector);
      }
      ServerProbe.Answer after = probe.snapshot();
      long open = sockets.stream().filter(s -> !s.isClosed()).count();
      Report report = new Report(args.get("label", "server"),
          args.get("test", "idle-" + connections))
          .put("connections", open)
          .put("heap_B_conn", (after.heap() - heap0) / (double) connections)
          .put("opens_s", connections / openSeconds);
      if (before.rss() > 0 && after.rss() > 0) {
        // With the heap resident from the start, all that resident memory grows by is native.
        double nativeBytes = (after.rss() - before.rss()) / (double) connections;
        report.put("rss_B_conn", nativeBytes)
            .put("native_B_conn", nativeBytes)
            .put("total_B_conn", report.get("heap_B_conn") + nativeBytes);
      }
      if (firstMessage > 0) {
        report.put("echoes_compressed", received[1]);
      }
      return report;
    } finally {
      sockets.forEach(BenchSocket::closeGracefully);
    }
  }
}
