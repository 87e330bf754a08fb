package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The raw peer's HTTP helpers (RFC 6455 section 4). */
class RawHttpTest {

  @Test
  void theSampleKeyIsAcceptedAsInTheRfc() {
    // RFC 6455 section 1.3.
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", RawHttp.accept(RawHttp.SAMPLE_KEY));
  }

  @Test
  void readHeadStopsAtTheBlankLineAndLeavesTheFrames() throws IOException {
    String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
    ByteArrayInputStream in = bytes(head + "\u0081\u0000"); // then an empty text frame
    assertEquals(head, RawHttp.readHead(in));
    assertEquals(2, in.available());
  }

  @Test
  void readHeadIsNotFooledByALoneCarriageReturn() throws IOException {
    String head = "GET / HTTP/1.1\r\nX: a\rb\r\r\n\r\n";
    assertEquals(head, RawHttp.readHead(bytes(head + "rest")));
  }

  @Test
  void readHeadFailsWhenTheStreamEndsInsideTheHead() {
    EOFException e = assertThrows(EOFException.class,
        () -> RawHttp.readHead(bytes("HTTP/1.1 101 Switching Protocols\r\n")));
    assertTrue(e.getMessage().contains("after 34 bytes"), e.getMessage());
  }

  @Test
  void headerMatchesNamesInAnyCase() {
    String head = RawHttp.upgradeRequest("example.org:8080", "/chat");
    assertTrue(head.startsWith("GET /chat HTTP/1.1\r\n"), head);
    assertEquals("example.org:8080", RawHttp.header(head, "host"));
    assertEquals(RawHttp.SAMPLE_KEY, RawHttp.header(head, "SEC-WEBSOCKET-KEY"));
    assertNull(RawHttp.header(head, "Sec-WebSocket-Protocol"));
  }

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
