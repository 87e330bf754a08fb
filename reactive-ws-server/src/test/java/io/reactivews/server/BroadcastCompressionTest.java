package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.compression.CompressionStats;
import io.reactivews.core.message.Message;
import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.Deflating;
import io.reactivews.testing.LeakGuard;
import io.reactivews.testing.RawFrame;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * A broadcast to viewers that negotiated permessage-deflate and viewers that did not, over
 * loopback (RFC 7692 with the server's defaults): each message is compressed once for all the
 * compressing viewers and encoded once for the others, and every viewer reads it intact.
 */
class BroadcastCompressionTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int COMPRESSING = 6;
  private static final int PLAIN = 3;
  private static final int MESSAGES = 20;

  @AfterAll
  static void noLeaks() throws InterruptedException {
    LeakGuard.assertNoLeaks("BroadcastCompressionTest");
  }

  private static byte[] json(int i) {
    return ("{\"round\":" + i + ",\"scores\":[" + "{\"team\":\"blue\",\"points\":12},".repeat(20)
        + "{}]}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eachMessageIsCompressedOnceForEveryCompressingViewer() throws Exception {
    Sinks.Many<Message> source = Sinks.many().multicast().directAllOrNothing();
    Broadcast broadcast = Broadcast.of(source.asFlux());
    CountDownLatch joined = new CountDownLatch(COMPRESSING + PLAIN);
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/feed", session -> {
          BroadcastSubscription s = broadcast.subscribe(session, OverflowPolicy.dropOldest(64));
          joined.countDown();
          return s.onEnd();
        })
        .bindNow();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    List<RawClient> compressing = new ArrayList<>();
    List<RawClient> plain = new ArrayList<>();
    try {
      for (int i = 0; i < COMPRESSING; i++) {
        compressing.add(RawClient.connect(address, "/feed",
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
      }
      for (int i = 0; i < PLAIN; i++) {
        plain.add(RawClient.connect(address, "/feed"));
      }
      assertTrue(joined.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < MESSAGES; i++) {
        source.tryEmitNext(Message.textUtf8(json(i)));
      }
      for (RawClient client : compressing) {
        for (int i = 0; i < MESSAGES; i++) {
          RawFrame frame = client.nextFrame(WAIT);
          assertEquals(4, frame.rsv(), "RSV1: compressed");
          assertArrayEquals(json(i), Deflating.decompress(frame.payload()));
        }
      }
      for (RawClient client : plain) {
        for (int i = 0; i < MESSAGES; i++) {
          RawFrame frame = client.nextFrame(WAIT);
          assertEquals(0, frame.rsv());
          assertArrayEquals(json(i), frame.payload());
        }
      }
      CompressionStats stats = server.compressionStats();
      assertEquals(MESSAGES, stats.compressorRuns(), "one compression per message: " + stats);
      assertEquals((long) MESSAGES * COMPRESSING, stats.messagesCompressed());
      assertEquals(MESSAGES, broadcast.stats().encoded(), "one plain encoding per message");
      assertTrue(stats.bytesSentCompressed() * 5 < stats.bytesSentUncompressed(), stats.toString());
    } finally {
      for (RawClient c : compressing) {
        c.close();
      }
      for (RawClient c : plain) {
        c.close();
      }
      server.shutdown(WAIT).block();
      broadcast.dispose();
    }
  }
}
