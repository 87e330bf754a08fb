package io.reactivews.server;

import static io.reactivews.server.Stage.assertAccounted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import io.reactivews.testing.RawHttp;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The scoreboard story through real loopback sockets: one raw client that stops reading after its
 * handshake, then a hundred JDK WebSocket clients that keep up. The fast clients must get every
 * message in order; the slow one gets its policy; and what the broadcast keeps alive for it is
 * bounded by the configured limits.
 *
 * <p>A socket nobody reads still absorbs megabytes (the kernel's send and receive buffers) before
 * the server notices, so the slow client first stalls alone, until its queue stops draining; the
 * fast clients then join and the source emits in rounds, waiting for them between rounds (a
 * source emits at its own pace, and "fast" means keeping up with it).
 */
class BroadcastSocketTest {

  private static final int FAST = 100;
  private static final int MESSAGES = 300;
  private static final int ROUND = 50;
  private static final int PAYLOAD = 1000;
  private static final int FRAME = PAYLOAD + 4; // 16-bit length header
  private static final int QUEUE = 64;
  private static final OverflowPolicy POLICY =
      OverflowPolicy.dropOldest(QUEUE).maxBytes((long) QUEUE * FRAME);
  private static final int MAX_STALL_MESSAGES = 20_000; // far beyond what loopback buffers hold

  private final CountingAllocator alloc = new CountingAllocator(true);
  private final Sinks.Many<Message> source = Sinks.many().multicast().directAllOrNothing();
  private final Broadcast broadcast = Broadcast.of(source.asFlux(), alloc);
  private final Map<String, BroadcastSubscription> subscriptions = new ConcurrentHashMap<>();
  private int published;

  @Test
  void oneSlowClientNeverStallsAHundredFastOnesAndStaysBounded() throws Exception {
    CountDownLatch joined = new CountDownLatch(FAST + 1);
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/feed", session -> {
          BroadcastSubscription subscription = broadcast.subscribe(session, POLICY);
          subscriptions.put(session.handshake().queryParameter("who"), subscription);
          joined.countDown();
          return subscription.onEnd();
        })
        .bindNow();
    try (Socket slowSocket = slowClient(server.port())) {
      Viewer.await(() -> subscriptions.containsKey("slow"), () -> "the slow client subscribed");
      BroadcastSubscription slow = subscriptions.get("slow");
      stall(slow);
      long stalledAt = published;
      BroadcastSubscription.Stats before = slow.stats();

      List<FastClient> fast = connectFast(server.port(), (int) stalledAt + 1);
      assertTrue(joined.await(10, TimeUnit.SECONDS), "all 101 sessions subscribed");
      for (int round = 0; round < MESSAGES / ROUND; round++) {
        CountDownLatch done = new CountDownLatch(FAST);
        for (FastClient client : fast) {
          client.awaitRound(published + ROUND, done);
        }
        publish(ROUND);
        assertTrue(done.await(10, TimeUnit.SECONDS),
            "fast clients stalled at round " + round + "; slow: " + slow.stats());
      }

      for (FastClient client : fast) {
        assertNull(client.error, client.error);
        assertEquals(published + 1, client.expected, "every message, in order");
      }
      for (int i = 0; i < FAST; i++) {
        BroadcastSubscription.Stats s = subscriptions.get("fast" + i).stats();
        assertEquals(MESSAGES, s.delivered());
        assertEquals(0, s.dropped());
      }
      int total = published;
      Viewer.await(() -> slow.stats().offered() == total, () -> slow.stats().toString());
      BroadcastSubscription.Stats after = slow.stats();
      assertEquals(published, after.offered());
      assertTrue(after.dropped() - before.dropped() > 0, "the slow client overflowed again");
      assertEquals(QUEUE, after.queuedMessages(), "it holds the newest " + QUEUE);
      assertEquals(QUEUE, after.peakQueuedMessages());
      assertTrue(after.peakQueuedBytes() <= POLICY.maxBytes(), after.toString());
      assertAccounted(after);
      assertEquals(published, alloc.allocations(), "one encode per message, 101 sessions");
      assertEquals(published, broadcast.stats().encoded());

      // All that is alive is held for the slow client: its queue, the one message its session
      // holds, and at most what the transport asks for ahead of writing (its prefetch).
      long bound = (long) (QUEUE + 1 + Queues.SMALL_BUFFER_SIZE) * FRAME;
      Viewer.await(() -> alloc.liveBytes() <= bound, () -> alloc.liveBytes() + " > " + bound);
      System.out.printf("broadcast over loopback: %d fast sessions got %d messages of %d bytes;"
              + " slow session stalled after %d messages (%d handed to its socket), then %s;"
              + " frame bytes alive %d (bound %d); encodes %d for %d messages%n",
          FAST, MESSAGES, FRAME, stalledAt, before.delivered(), after, alloc.liveBytes(), bound,
          alloc.allocations(), published);
    } finally {
      server.shutdown(Duration.ofSeconds(5)).block();
      broadcast.dispose();
    }
    Viewer.await(() -> alloc.liveBytes() == 0, () -> alloc.liveBytes() + " frame bytes held");
  }

  /**
   * Publishes to the slow client alone, a queue's worth at a time, while its queue drains; once
   * it stops draining, one more batch overflows it.
   */
  private void stall(BroadcastSubscription slow) {
    while (published < MAX_STALL_MESSAGES) {
      publish(QUEUE);
      if (!Viewer.within(Duration.ofSeconds(1), () -> slow.stats().queuedMessages() == 0)) {
        publish(QUEUE);
        // The fan-out runs on the session's event loop, so the overflow shows a moment later.
        Viewer.await(() -> slow.stats().dropped() > 0, () -> slow.stats().toString());
        return;
      }
    }
    throw new AssertionError("the slow client never stalled: " + slow.stats());
  }

  private void publish(int n) {
    for (int i = 0; i < n; i++) {
      published++;
      String head = String.format("%06d", published);
      assertEquals(Sinks.EmitResult.OK,
          source.tryEmitNext(Message.text(head + "-".repeat(PAYLOAD - head.length()))),
          "the source was held back at message " + published);
    }
  }

  private static List<FastClient> connectFast(int port, int firstSeq) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<FastClient> fast = new ArrayList<>();
    List<CompletableFuture<WebSocket>> connecting = new ArrayList<>();
    for (int i = 0; i < FAST; i++) {
      FastClient client = new FastClient(firstSeq);
      fast.add(client);
      connecting.add(http.newWebSocketBuilder().buildAsync(
          URI.create("ws://127.0.0.1:" + port + "/feed?who=fast" + i), client));
    }
    CompletableFuture.allOf(connecting.toArray(new CompletableFuture<?>[0]))
        .get(10, TimeUnit.SECONDS);
    return fast;
  }

  /** Completes a handshake by hand, then never reads again. */
  private static Socket slowClient(int port) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    OutputStream out = socket.getOutputStream();
    out.write(RawHttp.upgradeRequest("/feed?who=slow").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String head = RawHttp.readHead(socket.getInputStream());
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    return socket;
  }

  /** Checks sequence numbers as they come and counts down each round it completes. */
  private static final class FastClient implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final Map<Integer, CountDownLatch> roundEnds = new ConcurrentHashMap<>();
    volatile int expected;
    volatile String error;

    FastClient(int firstSeq) {
      this.expected = firstSeq;
    }

    /** Counts {@code done} down when message {@code lastSeq} arrives. */
    void awaitRound(int lastSeq, CountDownLatch done) {
      roundEnds.put(lastSeq, done);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        int seq = Integer.parseInt(partial.substring(0, 6));
        if (seq != expected && error == null) {
          error = "expected " + expected + ", got " + seq;
        }
        expected = seq + 1;
        CountDownLatch done = roundEnds.remove(seq);
        if (done != null) {
          done.countDown();
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
