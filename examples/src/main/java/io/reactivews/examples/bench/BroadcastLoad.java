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
 * Broadcast fan-out: one publisher connection sends to the server's publish route, and the
 * server fans each message out to N subscriber connections. The publisher keeps W messages that
 * have not yet reached every subscriber, so the server is pushed as hard as its slowest
 * subscriber allows. Each delivery is checked (sequence, length, type, bytes); a skipped
 * sequence number counts as dropped. Reports deliveries/s, and the slowest subscriber's lag: for
 * each message, the time from its send to its arrival at the last subscriber.
 */
final class BroadcastLoad implements BenchSocket.Listener {

  /** Bytes at the start of each payload: sequence number and send time. */
  private static final int STAMP = 16;

  private final int size;
  private final int subscribers;
  private final int window;
  private final byte[] filler;
  private final int[] arrived;
  private final long[] sentAt;
  private final long[] lags;
  private int lagCount;
  private long published;
  private long oldestOpen;
  private long deliveries;
  private long dropped;
  private long mismatches;
  private boolean counting;
  private BenchSocket publisher;

  /** Per subscriber: the next sequence number it should see, and the message being read. */
  private static final class Subscriber {
    long next;
    final byte[] stamp = new byte[STAMP];
    int read;
    boolean mismatch;
  }

  private BroadcastLoad(int size, int subscribers, int window, int expected) {
    this.size = size;
    this.subscribers = subscribers;
    this.window = window;
    this.filler = Frames.payload(Frames.BINARY, size, 0);
    this.arrived = new int[window];
    this.sentAt = new long[window];
    this.lags = new long[expected];
  }

  static Report run(Args args) throws Exception {
    // Several URLs, comma-separated, spread the subscribers over several nodes of a cluster.
    String[] urls = args.get("url", "ws://127.0.0.1:9001/broadcast").split(",");
    URI publish = URI.create(args.get("publish", "ws://127.0.0.1:9001/publish"));
    int subscribers = args.getInt("subscribers", 1000);
    int size = Math.max(STAMP, args.getInt("size", 64));
    int window = args.getInt("inflight", 32);
    double warmup = Double.parseDouble(args.get("warmup", "2"));
    double duration = Double.parseDouble(args.get("duration", "5"));
    ServerProbe probe = ServerProbe.of(args.get("stats", null), args.getInt("pid", -1));
    BroadcastLoad load = new BroadcastLoad(size, subscribers, window, 4_000_000);
    List<BenchSocket> sockets = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < urls.length; i++) {
        int share = subscribers / urls.length + (i < subscribers % urls.length ? 1 : 0);
        BenchSocket.openMany(URI.create(urls[i].trim()), sockets.size() + share, 64 << 10, 128,
            sockets);
      }
      for (BenchSocket socket : sockets) {
        socket.register(selector, load, new Subscriber());
      }
      load.publisher = BenchSocket.open(publish, 4096);
      load.publisher.register(selector, load, null);
      // Let the server attach the last subscribers before the first message.
      load.loop(selector, 0.5);
      load.publish();
      load.loop(selector, warmup);
      load.counting = true;
      double cpu0 = probe.knowsCpu() ? probe.cpuSeconds() : 0;
      long delivered0 = load.deliveries;
      long t0 = System.nanoTime();
      load.loop(selector, duration);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = probe.knowsCpu() ? probe.cpuSeconds() - cpu0 : -1;
      load.counting = false;
      long delivered = load.deliveries - delivered0;
      Report report = new Report(args.get("label", "server"),
          args.get("test", "broadcast-" + subscribers + "-" + size))
          .put("deliveries_s", delivered / seconds)
          .put("msgs_s", delivered / seconds / subscribers)
          .latencies("lag_", load.lags, load.lagCount)
          .put("dropped", load.dropped)
          .put("mismatches", load.mismatches);
      if (cpu >= 0) {
        report.put("cpu_us_delivery", cpu * 1e6 / delivered);
      }
      load.publisher.closeGracefully();
      return report;
    } finally {
      sockets.forEach(BenchSocket::closeGracefully);
    }
  }

  private void loop(Selector selector, double seconds) throws IOException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      selector.select(10);
      BenchSocket.serveReady(selector);
      publish();
    }
  }

  /** Sends messages until W are on their way to some subscriber. */
  private void publish() throws IOException {
    if (publisher == null || published - oldestOpen >= window) {
      return;
    }
    while (published - oldestOpen < window) {
      byte[] payload = filler.clone();
      long now = System.nanoTime();
      ByteBuffer.wrap(payload).putLong(published).putLong(now);
      int slot = (int) (published % window);
      arrived[slot] = 0;
      sentAt[slot] = now;
      publisher.queue(Frames.masked(Frames.BINARY, payload, ThreadLocalRandom.current().nextInt()));
      published++;
    }
    publisher.flush();
  }

  @Override
  public void onPayload(BenchSocket socket, ByteBuffer slice) {
    Subscriber sub = socket.attachment();
    if (sub == null) {
      return; // the publisher hears nothing
    }
    int n = slice.remaining();
    int at = sub.read;
    int stampBytes = Math.max(0, Math.min(STAMP - at, n));
    slice.get(slice.position(), sub.stamp, at, stampBytes);
    int rest = n - stampBytes;
    int from = at + stampBytes;
    if (from + rest > size
        || slice.slice(slice.position() + stampBytes, rest)
            .mismatch(ByteBuffer.wrap(filler, from, rest)) >= 0) {
      sub.mismatch = true;
    }
    sub.read += n;
  }

  @Override
  public void onMessage(BenchSocket socket, int opcode, long length) {
    Subscriber sub = socket.attachment();
    if (sub == null) {
      return;
    }
    long now = System.nanoTime();
    long seq = ByteBuffer.wrap(sub.stamp).getLong(0);
    boolean bad = sub.mismatch || opcode != Frames.BINARY || length != size
        || seq < sub.next || seq >= published;
    sub.read = 0;
    sub.mismatch = false;
    if (bad) {
      mismatches++;
      return;
    }
    for (long missed = sub.next; missed < seq; missed++) {
      dropped++;
      arrive(missed, now, false);
    }
    sub.next = seq + 1;
    deliveries++;
    arrive(seq, now, true);
  }

  /** One subscriber is done with {@code seq}; the last one to be done gives its lag. */
  private void arrive(long seq, long now, boolean delivered) {
    if (seq < oldestOpen) {
      return;
    }
    int slot = (int) (seq % window);
    if (++arrived[slot] == subscribers) {
      if (counting && lagCount < lags.length) {
        lags[lagCount++] = now - sentAt[slot];
      }
    }
    while (oldestOpen < published && arrived[(int) (oldestOpen % window)] >= subscribers) {
      oldestOpen++;
    }
  }
}
