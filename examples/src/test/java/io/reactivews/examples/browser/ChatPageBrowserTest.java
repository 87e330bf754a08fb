package io.reactivews.examples.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.core.compression.CompressionStats;
import io.reactivews.examples.chat.ChatServer;
import io.reactivews.server.BoundServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page in headless Chromium against an in-process server: two people, each in a page
 * of their own, join and talk, and each page must show the whole conversation as the server
 * relayed it. The driver is {@code examples/src/test/browser/chat.mjs}.
 */
class ChatPageBrowserTest {

  // Markup and non-ASCII text must come back as typed: the page inserts text, never HTML.
  private static final List<List<String>> LINES = List.of(
      List.of("Ada", "hello Grace, is <b>this</b> bold?"),
      List.of("Grace", "no, plain text \u2014 gr\u00fc\u00dfe \u2713"),
      // Long enough to be relayed compressed: Chromium inflates what our compressor made.
      List.of("Ada", "a longer line, so that the server compresses it: "
          + "the quick brown fox jumps over the lazy dog ".repeat(4).trim()));

  private BoundServer server;

  @BeforeEach
  void start() {
    server = ChatServer.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void twoPagesJoinTalkAndEachShowsBothMessages(@TempDir Path temp) throws Exception {
    Path png = temp.resolve("chat.png");
    List<JsonNode> report = PageDriver.of("chat.mjs").run(
        "http://127.0.0.1:" + server.port() + "/", png.toString(),
        PageDriver.json(Map.of("people", List.of("Ada", "Grace"), "lines", LINES)));

    assertEquals(3, report.size(), "two pages and a screenshot: " + report);
    for (int i = 0; i < 2; i++) {
      JsonNode page = report.get(i);
      String person = List.of("Ada", "Grace").get(i);
      assertEquals(person, page.path("person").asText());
      assertEquals("connected as " + person, page.path("status").asText());
      assertFalse(page.path("joinFormVisible").asBoolean(true),
          person + "'s page still offers to join after the welcome");
      assertEquals(LINES, said(page.path("lines")), person + "'s page");
      assertEquals(0, page.path("problems").size(), person + "'s page: " + page.path("problems"));
      // The browser's own permessage-deflate offer, accepted by the server's defaults.
      JsonNode handshake = page.path("webSockets").path(0);
      assertEquals(101, handshake.path("status").asInt(), person + "'s page: " + handshake);
      assertTrue(handshake.path("offered").asText().startsWith("permessage-deflate"),
          person + "'s page: " + handshake);
      assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
          handshake.path("extensions").asText(), person + "'s page: " + handshake);
    }
    // Chromium compresses what it sends, and the lines it read came from compressed frames
    // wherever they reached the threshold; each page shows them all, as checked above.
    CompressionStats stats = server.compressionStats();
    assertTrue(stats.messagesInflated() > 0, stats.toString());
    assertTrue(stats.messagesCompressed() > 0, stats.toString());
    JsonNode shot = report.get(2);
    assertEquals(png.toString(), shot.path("screenshot").asText());
    Screenshot.assertRenderedPage(png, shot.path("width").asInt(), shot.path("height").asInt());
  }

  /** The chat lines of a page's log, as [name, text], leaving out notices. */
  private static List<List<String>> said(JsonNode lines) {
    List<List<String>> said = new ArrayList<>();
    for (JsonNode line : lines) {
      if (line.path("kind").asText().equals("said")) {
        said.add(List.of(line.path("name").asText(), line.path("text").asText()));
      }
    }
    return said;
  }
}
