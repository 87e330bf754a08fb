package io.reactivews.examples.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.TextClient;
import io.reactivews.server.BoundServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 against the chat demo, over real sockets: a member floods the room as fast as its
 * socket takes lines. The rate limit reads that member's socket at 20 lines a second, so the
 * room sees the flooder at its limit, the readers stay, and a line from someone else reaches
 * them about as fast as in an idle room. Bounds are generous: this proves fairness, not speed.
 */
class ChatFairnessTest {

  private static final int PROBES = 10;

  private BoundServer server;
  private String url;

  @BeforeEach
  void start() {
    server = ChatServer.start("127.0.0.1", 0);
    url = "ws://127.0.0.1:" + server.port() + "/chat";
  }

  @AfterEach
  void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void aFlooderIsSlowedToItsLimitAndTheRoomStaysAsQuickAsWhenIdle() throws Exception {
    try (TextClient alice = join("alice"); TextClient probe = join("probe")) {
      long idle = medianLatency(probe, alice, "idle");

      Flooder flooder = new Flooder(server.port());
      flooder.start();
      try {
        // The burst goes through first; then the room sees the flooder at its rate.
        Thread.sleep(3000);
        drain(alice);
        long during = medianLatency(probe, alice, "flood");
        assertTrue(during <= idle + 100,
            "a line crosses a flooded room in " + during + " ms, an idle one in " + idle + " ms");

        drain(alice);
        long windowStart = System.nanoTime();
        Thread.sleep(2000);
        int seen = drain(alice);
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        double limit = ChatServer.LIMIT.messagesPerSecond();
        assertTrue(seen <= limit * seconds + 10,
            seen + " flood lines in " + seconds + " s: the flooder passed its limit");
        assertTrue(seen >= limit * seconds / 4, "the flooder still gets through: " + seen);
        System.out.printf("chat fairness: median line latency idle %d ms, flooded %d ms;"
            + " flood lines seen %d in %.1f s (limit %.0f/s); flooder wrote %d%n",
            idle, during, seen, seconds, limit, flooder.written);
        assertTrue(flooder.written > seen * 4L,
            "the flooder wrote far more than the room saw: it is held at its socket");
      } finally {
        flooder.stop = true;
        flooder.close();
      }
      assertFalse(drain(alice) < 0, "alice was never closed");
    }
  }

  private TextClient join(String name) throws Exception {
    TextClient client = new TextClient(url);
    client.send("{\"type\":\"join\",\"name\":\"" + name + "\"}");
    client.nextContaining("welcome");
    return client;
  }

  /** The median time for a line from {@code from} to reach {@code to}, in ms. */
  private static long medianLatency(TextClient from, TextClient to, String tag) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < PROBES; i++) {
      String text = tag + "-probe-" + i;
      long start = System.nanoTime();
      from.send("{\"type\":\"say\",\"text\":\"" + text + "\"}");
      String line = to.nextContaining(text);
      assertFalse(line.startsWith("close:"), line);
      millis.add((System.nanoTime() - start) / 1_000_000);
      Thread.sleep(60); // stays within the probe's own rate limit
    }
    Collections.sort(millis);
    return millis.get(PROBES / 2);
  }

  /** Flood lines taken from {@code client}'s queue; -1 if it was closed. */
  private static int drain(TextClient client) throws Exception {
    int n = 0;
    String line;
    while ((line = client.poll()) != null) {
      if (line.startsWith("close:")) {
        return -1;
      }
      if (line.contains("flood-line")) {
        n++;
      }
    }
    return n;
  }

  /** A member that writes "say" lines as fast as its socket takes them, never reading. */
  private static final class Flooder extends Thread implements AutoCloseable {
    private final Socket socket;
    volatile boolean stop;
    volatile long written;

    Flooder(int port) throws IOException {
      super("flooder");
      setDaemon(true);
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
      out.write(frame("{\"type\":\"join\",\"name\":\"flooder\"}"));
    }

    @Override
    public void run() {
      byte[] line = frame("{\"type\":\"say\",\"text\":\"flood-line " + "x".repeat(900) + "\"}");
      try {
        OutputStream out = socket.getOutputStream();
        while (!stop) {
          out.write(line);
          written++;
        }
      } catch (IOException e) {
        // closed at the end of the test
      }
    }

    /** A masked text frame with a zero key, so the payload goes as is. */
    private static byte[] frame(String text) {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      int header = payload.length < 126 ? 6 : 8;
      byte[] frame = new byte[header + payload.length];
      frame[0] = (byte) 0x81;
      if (payload.length < 126) {
        frame[1] = (byte) (0x80 | payload.length);
      } else {
        frame[1] = (byte) (0x80 | 126);
        frame[2] = (byte) (payload.length >> 8);
        frame[3] = (byte) payload.length;
      }
      System.arraycopy(payload, 0, frame, header, payload.length);
      return frame;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
