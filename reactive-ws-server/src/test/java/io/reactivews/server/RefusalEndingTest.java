package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * How refusals end, over loopback sockets: the status is readable and the connection ends with
 * our FIN (the client reads EOF), never with a reset, even while the client is still sending.
 */
class RefusalEndingTest {

  private final BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
      .handshakeTimeout(Duration.ofMillis(150))
      .route("/", session -> session.send(session.receive()))
      .bindNow();

  @AfterEach
  void stop() {
    server.shutdown(Duration.ofSeconds(2)).block();
  }

  @Test
  void anHttp2PrefaceGetsAVersionErrorAndACleanClose() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      String response = readToEof(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n"), response);
    }
  }

  /**
   * A slowloris client keeps trickling header bytes while it waits: at the handshake timeout it
   * must read the whole 408 and then EOF, never a reset (the server drains what it still sends).
   */
  @RepeatedTest(25)
  void the408AfterAHandshakeTimeoutEndsWithFinNotReset() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.ISO_8859_1));
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread trickle = new Thread(() -> {
        try {
          while (reading.get()) {
            out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(3);
          }
        } catch (IOException | InterruptedException e) {
          // the server may be gone: what the reader saw decides
        }
      });
      trickle.start();
      try {
        String response = readToEof(socket.getInputStream());
        assertTrue(response.startsWith("HTTP/1.1 408 Request Timeout\r\n"), response);
      } finally {
        reading.set(false);
        trickle.join();
      }
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(5000);
    return socket;
  }

  /** Everything up to EOF; a reset fails the test, naming what had arrived. */
  private static String readToEof(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        got.write(buf, 0, n);
      }
    } catch (SocketException e) {
      throw new AssertionError("reset after " + got.size() + " bytes: "
          + got.toString(StandardCharsets.ISO_8859_1), e);
    }
    assertEquals(-1, in.read(), "EOF stays EOF");
    return got.toString(StandardCharsets.ISO_8859_1);
  }
}
