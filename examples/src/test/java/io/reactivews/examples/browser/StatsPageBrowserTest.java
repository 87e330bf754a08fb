package io.reactivews.examples.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.examples.stats.StatsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-stats page in headless Chromium against an in-process match with an event every 50
 * ms: over a second the scoreboard must keep changing, with all six players, and the kill feed
 * must fill. The driver is {@code examples/src/test/browser/stats.mjs}.
 */
class StatsPageBrowserTest {

  private static final int PLAYERS = 6;
  private static final int WATCH_MILLIS = 1000;

  @Test
  void scoreboardKeepsUpdatingAndKillFeedFills(@TempDir Path temp) throws Exception {
    Path png = temp.resolve("stats.png");
    List<JsonNode> report;
    try (StatsServer stats = StatsServer.start("127.0.0.1", 0, Duration.ofMillis(50), 42)) {
      report = PageDriver.of("stats.mjs").run(
          "http://127.0.0.1:" + stats.port() + "/", png.toString(), String.valueOf(WATCH_MILLIS));
    }
    assertEquals(3, report.size(), "samples, the page and a screenshot: " + report);

    JsonNode samples = report.get(0).path("samples");
    assertTrue(samples.size() >= 5, "too few samples: " + samples);
    assertTrue(samples.get(samples.size() - 1).path("at").asInt() >= WATCH_MILLIS * 9 / 10,
        "watched for less than a second: " + samples);
    long previous = -1;
    for (JsonNode sample : samples) {
      assertEquals(PLAYERS, sample.path("rows").asInt(), "scoreboard rows in " + sample);
      long version = sample.path("version").asLong();
      assertTrue(version >= previous, "the board went back in time: " + samples);
      previous = version;
    }
    long first = samples.get(0).path("version").asLong();
    assertTrue(previous > first, "the board never changed over a second: " + samples);

    JsonNode page = report.get(1).path("page");
    assertEquals(0, report.get(1).path("problems").size(),
        report.get(1).path("problems").toString());
    assertTrue(page.path("status").asText().startsWith("live"), page.path("status").asText());
    assertBestFirst(page.path("board"));
    JsonNode feed = page.path("feed");
    assertTrue(feed.size() > 0, "the kill feed stayed empty");
    boolean anyKill = false;
    for (JsonNode line : feed) {
      anyKill |= line.asText().matches("\\S+ \\[\\w+\\] \\S+");
    }
    assertTrue(anyKill, "no 'killer [weapon] victim' line in the feed: " + feed);

    JsonNode shot = report.get(2);
    assertEquals(png.toString(), shot.path("screenshot").asText());
    Screenshot.assertRenderedPage(png, shot.path("width").asInt(), shot.path("height").asInt());
  }

  /** Six rows "rank, name, kills, deaths, score", ranked 1 to 6 by falling score. */
  private static void assertBestFirst(JsonNode board) {
    assertEquals(PLAYERS, board.size(), board.toString());
    int lastScore = Integer.MAX_VALUE;
    for (int i = 0; i < PLAYERS; i++) {
      JsonNode row = board.get(i);
      assertEquals(5, row.size(), row.toString());
      assertEquals(String.valueOf(i + 1), row.get(0).asText(), board.toString());
      assertTrue(!row.get(1).asText().isBlank(), board.toString());
      int score = Integer.parseInt(row.get(4).asText());
      assertTrue(score <= lastScore, "not best first: " + board);
      lastScore = score;
    }
  }
}
