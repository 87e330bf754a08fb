package io.reactivews.examples.bench;

import io.reactivews.examples.Args;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Broadcast fan-out: one publisher connection sends to the server's publish route, and the
 * server fans each message out to N subscriber connections. The publisher keeps W messages that
 * have not yet reached every subscriber, so the server is pushed as hard as its slowest
 * subscriber allows. Each delivery is checked (sequence, length, type, bytes); a skipped
 * sequence number counts as dropped. Reports deliveries/s, and the slowest subscriber's lag: for
 * each message, the time from its send to its arrival at the last subscriber.
 *
 * <p>With {@code --deflate} the subscribers offer permessage-deflate: compressed deliveries are
 * inflated and checked like the others, and the report adds the share of deliveries that came
 * compressed and the server's compressor runs per published message (one, when a broadcast is
 * compressed once for everyone). {@code --json} makes the payload JSON-like text, which
 * compresses as a scoreboard does, instead of bytes that barely compress.
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
  private final Inflater inflater = new Inflater(true);
  /**
   * Compressed payloads already inflated, and what they inflate to: every subscriber gets the
   * same bytes for a message, so the load generator inflates each message once, not once per
   * delivery, and stays cheaper than the server it measures. A delivery whose bytes differ
   * from every message seen is inflated afresh, so nothing goes unchecked.
   */
  private final Map<ByteBuffer, byte[]> inflated = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteBuffer, byte[]> eldest) {
      return size() > 4 * window;
    }
  };
  private long compressedDeliveries;

  /** Per subscriber: the next sequence number it should see, and the message being read. */
  private static final class Subscriber {
    long next;
    final byte[] stamp = new byte[STAMP];
    int read;
    boolean mismatch;
    final java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
  }

  private BroadcastLoad(int size, int subscribers, int window, int expected, boolean json) {
    this.size = size;
    this.subscribers = subscribers;
    this.window = window;
    this.filler = json ? json(size) : Frames.payload(Frames.BINARY, size, 0);
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
    boolean deflate = args.has("deflate");
    BroadcastLoad load =
        new BroadcastLoad(size, subscribers, window, 4_000_000, args.has("json"));
    List<BenchSocket> sockets = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < urls.length; i++) {
        int share = subscribers / urls.length + (i < subscribers % urls.length ? 1 : 0);
        BenchSocket.openMany(URI.create(urls[i].trim()), sockets.size() + share, 16 << 10, 128,
            deflate ? BenchSocket.DEFLATE_OFFER : "", sockets);
      }      for (BenchSocket socket : sockets) {
        socket.register(selector, load, new Subscriber());
      }
      load.publisher = BenchSocket.open(publish, 4096);
      load.publisher.register(selector, load, null);
      // Let the server attach the last subscribers before the first message.
      load.loop(selector, 0.5);
      load.publish();
      load.loop(selector, warmup);
      ServerProbe.Answer before = deflate && probe.knowsHeap() ? probe.snapshot() : null;
      load.counting = true;
      double cpu0 = probe.knowsCpu() ? probe.cpuSeconds() : 0;
      long delivered0 = load.deliveries;
      long compressed0 = load.compressedDeliveries;
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
      if (deflate) {
        report.put("compressed_share",
            (load.compressedDeliveries - compressed0) / (double) Math.max(1, delivered));
        if (before != null && before.deflateRuns() >= 0) {
          ServerProbe.Answer after = probe.snapshot();
          double messages = (after.deflateMessages() - before.deflateMessages())
              / (double) subscribers;
          report.put("deflate_runs_msg",
              (after.deflateRuns() - before.deflateRuns()) / Math.max(1, messages));
        }
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
    if (socket.messageCompressed()) {
      byte[] bytes = new byte[slice.remaining()];
      slice.get(bytes);
      sub.compressed.writeBytes(bytes);
      return;
    }
    check(sub, slice);
  }

  /** Checks a piece of a plain payload against the stamp and the filler. */
  private void check(Subscriber sub, ByteBuffer slice) {
    int n = slice.remaining();
    int at = sub.read;
    int stampBytes = Math.max(0, Math.min(STAMP - at, n));
    if (stampBytes > 0) { // a later piece of a long payload holds no stamp bytes
      slice.get(slice.position(), sub.stamp, at, stampBytes);
    }
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
    if (socket.messageCompressed()) {
      ByteBuffer wire = ByteBuffer.wrap(sub.compressed.toByteArray());
      sub.compressed.reset();
      byte[] plain = inflated.get(wire);
      if (plain == null) {
        plain = inflate(wire.array());
        inflated.put(wire, plain);
      }
      check(sub, ByteBuffer.wrap(plain));
      length = plain.length;
      if (counting) {
        compressedDeliveries++;
      }
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

  /** A message compressed without context (the server's default), inflated; empty if bad. */
  private byte[] inflate(byte[] payload) {
    inflater.reset();
    byte[] input = java.util.Arrays.copyOf(payload, payload.length + 4);
    input[payload.length + 2] = (byte) 0xff;
    input[payload.length + 3] = (byte) 0xff;
    inflater.setInput(input);
    byte[] out = new byte[size + 1];
    try {
      int n = 0;
      while (n < out.length) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0) {
          break;
        }
        n += got;
      }
      return java.util.Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      return new byte[0];
    }
  }

  /** {@code size} bytes of JSON-like text: a scoreboard, as a game server would send. */
  private static byte[] json(int size) {
    StringBuilder sb = new StringBuilder("{\"scores\":[");
    for (int i = 0; sb.length() < size; i++) {
      sb.append("{\"player\":\"player").append(i).append("\",\"kills\":").append(i * 7 % 31)
          .append(",\"deaths\":").append(i * 3 % 17).append("},");
    }
    return java.util.Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
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
