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
 * server fans each message out to N subscriber connections. Every delivery is checked (sequence,
 * length, type, bytes); a skipped sequence number counts as dropped. Two modes:
 *
 * <ul>
 *   <li>a window ({@code --inflight W}, the default): the publisher keeps W messages that have
 *       not yet reached every subscriber, so the server is pushed as hard as its slowest
 *       subscriber allows. Reports deliveries/s and the slowest subscriber's lag: for each
 *       message, the time from its send to its arrival at the last subscriber;
 *   <li>a fixed rate ({@code --rate R} messages/s): messages go out on a schedule whatever
 *       arrives, each stamped with the time it was due, and the lag of every delivery is
 *       measured from that time, so a server that stalls is charged for what waited behind the
 *       stall. Reports the lag's percentiles over all deliveries of the messages due in the
 *       measured period (those still on their way at its end are waited for), and deliveries
 *       the server never made as {@code lost}.
 * </ul>
 *
 * <p>{@code --stalled K} adds K subscribers that connect, with a small receive buffer, and never
 * read: the server must apply its slow-viewer policy to them without slowing the others. They
 * count in no figure. Before measuring, the publisher sends one message every 50 ms until every
 * counted subscriber has had one, so that none is measured before the server has attached it.
 * Both modes report the server's CPU per delivery and the load generator's own CPU ({@code
 * load_cpu_pct}, of its one core): near 100 the load generator, not the server, sets the pace.
 *
 * <p>With {@code --deflate} the subscribers offer permessage-deflate as browsers do, leaving
 * context takeover to the server: compressed deliveries are inflated and checked like the others
 * (each subscriber's own stream in order, when the server keeps context), and the report adds the
 * share of deliveries that came compressed and the server's compressor runs per published message
 * (one, when a broadcast is compressed once for everyone; our server's counter only). {@code
 * --json} makes the payload JSON-like text, which compresses as a scoreboard does, instead of bytes
 * that barely compress.
 */
final class BroadcastLoad implements BenchSocket.Listener {

  private static final long ATTACH_PROBE_NANOS = 50_000_000L;
  private static final long ATTACH_TIMEOUT_NANOS = 60_000_000_000L;
  private static final long DRAIN_NANOS = 5_000_000_000L;

  private final BroadcastPayload payload;
  private final int subscribers;
  /** Window mode: messages in flight; 0 at a fixed rate. */
  private final int window;
  /** Fixed rate: nanoseconds between messages; 0 in window mode. */
  private final long interval;
  /**
   * Fixed rate: poll the sockets without ever sleeping. A load generator that sleeps between
   * deliveries must be woken for each, and on loopback the server's send pays for that wake-up.
   */
  private final boolean spin;
  private final List<Subscriber> counted = new ArrayList<>();
  private final int[] arrived;
  private final long[] sentAt;
  private final long[] lags;
  private int lagCount;
  private long published;
  private long oldestOpen;
  private long nextDue;
  private long deliveries;
  private long dropped;
  private long mismatches;
  private long compressedDeliveries;
  private int attached;
  private boolean attaching = true;
  private boolean publishing = true;
  private boolean counting;
  /** Fixed rate: the lag of messages due in [countFrom, countUntil) is sampled. */
  private long countFrom = Long.MAX_VALUE;
  private long countUntil = Long.MAX_VALUE;
  private BenchSocket publisher;

  /** Per subscriber: the next sequence number it should see (-1 before the first). */
  private static final class Subscriber {
    long next = -1;
    final BroadcastPayload.Reading reading;

    Subscriber(boolean serverKeepsContext) {
      reading = new BroadcastPayload.Reading(serverKeepsContext);
    }
  }

  private BroadcastLoad(BroadcastPayload payload, int subscribers, int window, int rate,
      boolean spin, int expected) {
    this.payload = payload;
    this.spin = spin;
    this.subscribers = subscribers;
    this.window = rate > 0 ? 0 : window;
    this.interval = rate > 0 ? 1_000_000_000L / rate : 0;
    this.arrived = new int[Math.max(1, this.window)];
    this.sentAt = new long[Math.max(1, this.window)];
    this.lags = new long[expected];
  }

  static Report run(Args args) throws Exception {
    // Several URLs, comma-separated, spread the subscribers over several nodes of a cluster.
    String[] urls = args.get("url", "ws://127.0.0.1:9001/broadcast").split(",");
    URI publish = URI.create(args.get("publish", "ws://127.0.0.1:9001/publish"));
    int subscribers = args.getInt("subscribers", 1000);
    int stalledCount = args.getInt("stalled", 0);
    int size = Math.max(BroadcastPayload.STAMP, args.getInt("size", 64));
    int window = args.getInt("inflight", 32);
    int rate = args.getInt("rate", 0);
    double warmup = Double.parseDouble(args.get("warmup", "2"));
    double duration = Double.parseDouble(args.get("duration", "5"));
    ServerProbe probe = ServerProbe.of(args.get("stats", null), args.getInt("pid", -1));
    boolean deflate = args.has("deflate");
    int expected = rate > 0
        ? (int) Math.min(20_000_000, (long) (rate * duration * 1.2 + 16) * subscribers)
        : 4_000_000;
    BroadcastLoad load = new BroadcastLoad(new BroadcastPayload(size, args.has("json"),
        4 * Math.max(window, 16)), subscribers, window, rate, args.has("spin"), expected);
    probe.awaitQuiet();
    List<BenchSocket> sockets = new ArrayList<>();
    List<BenchSocket> stalled = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < urls.length; i++) {
        int share = subscribers / urls.length + (i < subscribers % urls.length ? 1 : 0);
        BenchSocket.openMany(URI.create(urls[i].trim()), sockets.size() + share, 16 << 10, 128,
            deflate ? BenchSocket.DEFLATE_OFFER : "", sockets);
      }
      for (BenchSocket socket : sockets) {
        Subscriber sub = new Subscriber(socket.serverKeepsContext());
        load.counted.add(sub);
        socket.register(selector, load, sub);
      }
      for (int i = 0; i < stalledCount; i++) {
        stalled.add(BenchSocket.openStalled(URI.create(urls[0].trim()), 4096));
      }
      load.publisher = BenchSocket.open(publish, 4096);
      load.publisher.register(selector, load, null);
      load.attach(selector);
      load.loop(selector, warmup);
      ServerProbe.Answer before = deflate && probe.knowsHeap() ? probe.counters() : null;
      load.counting = true;
      load.countFrom = System.nanoTime();
      double cpu0 = probe.knowsCpu() ? probe.cpuSeconds() : 0;
      double ownCpu0 = ServerProbe.ownCpuSeconds();
      long delivered0 = load.deliveries;
      long compressed0 = load.compressedDeliveries;
      long t0 = System.nanoTime();
      load.loop(selector, duration);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = probe.knowsCpu() ? probe.cpuSeconds() - cpu0 : -1;
      double ownCpu = ServerProbe.ownCpuSeconds() - ownCpu0;
      load.counting = false;
      load.countUntil = System.nanoTime();
      long delivered = load.deliveries - delivered0;
      if (rate > 0) {
        load.drain(selector);
      }
      Report report = new Report(args.get("label", "server"),
          args.get("test", "broadcast-" + subscribers + "-" + size))
          .put("subscribers", subscribers)
          .put("stalled", stalledCount)
          .put("deliveries_s", delivered / seconds)
          .put("msgs_s", delivered / seconds / subscribers)
          .latencies("lag_", load.lags, load.lagCount)
          .put("dropped", load.dropped)
          .put("mismatches", load.mismatches);
      if (rate > 0) {
        report.put("rate", rate).put("lost", load.undelivered());
      }
      if (cpu >= 0) {
        report.put("cpu_us_delivery", cpu * 1e6 / delivered);
      }
      report.put("load_cpu_pct", 100 * ownCpu / seconds);
      if (deflate) {
        report.put("compressed_share",
            (load.compressedDeliveries - compressed0) / (double) Math.max(1, delivered));
        if (before != null && before.deflateRuns() >= 0) {
          ServerProbe.Answer after = probe.counters();
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
      stalled.forEach(BenchSocket::close);
    }
  }

  /** Publishes a message every 50 ms until every counted subscriber has had one. */
  private void attach(Selector selector) throws IOException {
    long start = System.nanoTime();
    long nextProbe = start;
    while (attached < subscribers) {
      long now = System.nanoTime();
      if (now - start > ATTACH_TIMEOUT_NANOS) {
        throw new IOException("only " + attached + " of " + subscribers
            + " subscribers had a message in " + ATTACH_TIMEOUT_NANOS / 1_000_000_000L + " s");
      }
      if (now >= nextProbe) {
        send(now);
        publisher.flush();
        nextProbe = now + ATTACH_PROBE_NANOS;
      }
      selector.select(10);
      BenchSocket.serveReady(selector);
    }
    attaching = false;
    oldestOpen = published;
    nextDue = System.nanoTime();
  }

  private void loop(Selector selector, double seconds) throws IOException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long now;
    while ((now = System.nanoTime()) < end) {
      if (interval > 0) {
        publishDue(now);
        // Spin when the next message is due within 2 ms (select() sleeps in whole ms), and
        // always with --spin.
        long wait = Math.min(nextDue, end) - System.nanoTime();
        if (wait > 2_000_000 && !spin) {
          selector.select(wait / 1_000_000 - 1); // at least 1: select(0) waits for ever
        } else {
          selector.selectNow();
        }
        BenchSocket.serveReady(selector);
      } else {
        selector.select(10);
        BenchSocket.serveReady(selector);
        publishWindow();
      }
    }
  }

  /** Fixed rate, after the measurement: no more messages; waits for those on their way. */
  private void drain(Selector selector) throws IOException {
    publishing = false;
    long end = System.nanoTime() + DRAIN_NANOS;
    while (undelivered() > 0 && System.nanoTime() < end) {
      selector.select(10);
      BenchSocket.serveReady(selector);
    }
  }

  /** Deliveries of published messages that counted subscribers have not had (yet). */
  private long undelivered() {
    long missing = 0;
    for (Subscriber sub : counted) {
      missing += published - Math.max(0, sub.next);
    }
    return missing;
  }

  /** Sends every message due by {@code now}, each stamped with the time it was due. */
  private void publishDue(long now) throws IOException {
    if (!publishing || nextDue > now) {
      return;
    }
    while (nextDue <= now) {
      send(nextDue);
      nextDue += interval;
    }
    publisher.flush();
  }

  /** Sends messages until W are on their way to some subscriber. */
  private void publishWindow() throws IOException {
    if (published - oldestOpen >= window) {
      return;
    }
    while (published - oldestOpen < window) {
      long now = System.nanoTime();
      sentAt[(int) (published % window)] = now;
      arrived[(int) (published % window)] = 0;
      send(now);
    }
    publisher.flush();
  }

  private void send(long due) {
    publisher.queue(payload.frame(published, due, ThreadLocalRandom.current().nextInt()));
    published++;
  }

  @Override
  public void onPayload(BenchSocket socket, ByteBuffer slice) {
    Subscriber sub = socket.attachment();
    if (sub != null) { // the publisher hears nothing
      payload.piece(sub.reading, slice, socket.messageCompressed());
    }
  }

  @Override
  public void onMessage(BenchSocket socket, int opcode, long length) {
    Subscriber sub = socket.attachment();
    if (sub == null) {
      return;
    }
    boolean compressed = socket.messageCompressed();
    boolean whole = payload.end(sub.reading, opcode, length, compressed);
    long seq = sub.reading.sequence();
    if (!whole || seq < sub.next || seq >= published) {
      mismatches++;
      return;
    }
    long now = System.nanoTime();
    if (sub.next < 0) {
      attached++; // what was published before it joined is not its loss
    } else {
      for (long missed = sub.next; missed < seq; missed++) {
        dropped++;
        arrive(missed, now);
      }
    }
    sub.next = seq + 1;
    if (counting) {
      deliveries++;
      compressedDeliveries += compressed ? 1 : 0;
    }
    if (window > 0) {
      arrive(seq, now);
    } else {
      long due = sub.reading.due();
      if (due >= countFrom && due < countUntil && lagCount < lags.length) {
        lags[lagCount++] = now - due;
      }
    }
  }

  /** Window mode: one subscriber is done with {@code seq}; the last one gives its lag. */
  private void arrive(long seq, long now) {
    if (window == 0 || attaching || seq < oldestOpen) {
      return;
    }
    int slot = (int) (seq % window);
    if (++arrived[slot] == subscribers && counting && lagCount < lags.length) {
      lags[lagCount++] = now - sentAt[slot];
    }
    while (oldestOpen < published && arrived[(int) (oldestOpen % window)] >= subscribers) {
      oldestOpen++;
    }
  }
}
