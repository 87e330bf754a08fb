package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.core.session.SessionOptions;
import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.Deflating;
import io.reactivews.testing.LeakGuard;
import io.reactivews.testing.RawFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decompression bombs over loopback: a message of 64 MiB of zeros, compressed to about 64 KiB,
 * against a 1 MiB limit. Inflated bytes count against the limit as they are produced (see
 * {@code FrameInflaterTest} for the bound on what is produced), so each closes with 1009, and
 * no buffer leaks on the way (checked at PARANOID).
 */
class CompressionBombTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String OFFER =
      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
  private static final byte[] BOMB = Deflating.bomb(64 << 20);
  private static BoundServer server;
  private static InetSocketAddress address;

  @BeforeAll
  static void start() {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/", session -> session.send(session.receive()))
        .options(SessionOptions.defaults().maxMessageSize(1 << 20))
        .bindNow();
    address = new InetSocketAddress("127.0.0.1", server.port());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.shutdown(WAIT).block();
    LeakGuard.assertNoLeaks("CompressionBombTest");
  }

  private static void assertClosedWith1009(RawClient client) throws InterruptedException {
    RawFrame close = client.nextFrame(WAIT);
    assertEquals(RawFrame.CLOSE, close.opcode(), close.toString());
    assertEquals(1009, close.closeCode(), close.toString());
  }

  @Test
  void inOneFrame() throws Exception {
    try (RawClient client = RawClient.connect(address, "/", OFFER)) {
      client.send(RawFrame.binary(BOMB).rsv(4));
      assertClosedWith1009(client);
    }
  }

  @Test
  void inManyFragments() throws Exception {
    List<RawFrame> frames = new ArrayList<>();
    for (int from = 0; from < BOMB.length; from += 1000) {
      byte[] part = Arrays.copyOfRange(BOMB, from, Math.min(BOMB.length, from + 1000));
      frames.add((from == 0 ? RawFrame.binary(part).rsv(4) : RawFrame.continuation(part))
          .fin(from + 1000 >= BOMB.length));
    }
    try (RawClient client = RawClient.connect(address, "/", OFFER)) {
      client.send(frames.toArray(RawFrame[]::new));
      assertClosedWith1009(client);
    }
  }

  @Test
  void oneBytePerWrite() throws Exception {
    byte[] bomb = Deflating.bomb(4 << 20); // about 4 KiB on the wire, one write per byte
    try (RawClient client = RawClient.connect(address, "/", OFFER)) {
      try {
        client.sendChopped(1, Duration.ZERO, RawFrame.binary(bomb).rsv(4));
      } catch (java.io.IOException e) {
        // the server may close while the last bytes are on their way: the close frame counts
      }
      assertClosedWith1009(client);
    }
  }
}
