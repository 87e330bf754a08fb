package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A browser stand-in: reads the frames a {@link Node} sends, as {@code offset|text} lines. */
final class Client implements AutoCloseable {

  private final RawClient raw;

  private Client(RawClient raw) {
    this.raw = raw;
  }

  static Client connect(Node node, String pathAndQuery) {
    try {
      return new Client(RawClient.connect(node.server.port(), pathAndQuery));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next {@code n} text frames; fails if one does not come within 20 s (a liveness bound for
   * a busy machine, not a speed assertion).
   */
  List<String> take(int n) {
    List<String> lines = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        RawFrame frame = raw.nextFrame(Duration.ofSeconds(20));
        assertEquals(RawFrame.TEXT, frame.opcode(), () -> "a text frame after " + lines);
        lines.add(frame.text());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return lines;
  }

  /** Frames up to the one whose text is {@code last}, at most 100,000. */
  List<String> takeUntil(String last) {
    List<String> lines = new ArrayList<>();
    while (lines.isEmpty() || !text(lines.get(lines.size() - 1)).equals(last)) {
      lines.addAll(take(1));
      if (lines.size() > 100_000) {
        throw new AssertionError("no " + last);
      }
    }
    return lines;
  }

  /** Nothing more comes within {@code quiet}. */
  void expectNothing(Duration quiet) {
    try {
      var next = raw.poll(quiet);
      assertEquals(null, next, "nothing more");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

/** A viewer that upgrades and then never reads: its TCP window fills. */
  static Socket stalled(Node node, String pathAndQuery) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", node.server.port()), 5000);
    socket.setSoTimeout(5000);
    OutputStream out = socket.getOutputStream();
    out.write(RawHttp.upgradeRequest(pathAndQuery).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String head = RawHttp.readHead(socket.getInputStream());
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    return socket;
  }

  static String text(String line) {
    return line.substring(line.indexOf('|') + 1);
  }

  static String offset(String line) {
    return line.substring(0, line.indexOf('|'));
  }

  @Override
  public void close() {
    try {
      raw.send(RawFrame.close(1000, ""));
      raw.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
