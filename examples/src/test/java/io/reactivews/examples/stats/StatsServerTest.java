package io.reactivews.examples.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.TextClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The live-stats demo over real sockets: the page, then a board first and live updates after. */
class StatsServerTest {

  private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");

  @Test
  void aViewerGetsTheBoardAtOnceThenLiveEvents() throws Exception {
    try (StatsServer stats = StatsServer.start("127.0.0.1", 0, Duration.ofMillis(20), 42)) {
      HttpResponse<String> page = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stats.port() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(page.statusCode() == 200 && page.body().contains("Scoreboard"));

      try (TextClient viewer = new TextClient("ws://127.0.0.1:" + stats.port() + "/stats")) {
        String first = viewer.next();
        assertTrue(first.startsWith("{\"type\":\"scoreboard\""), first);
        long firstVersion = version(first);
        assertTrue(viewer.nextContaining("\"type\":\"kill\"").contains("\"weapon\""));
        long later = version(viewer.nextContaining("\"type\":\"scoreboard\""));
        assertTrue(later > firstVersion, later + " should be newer than " + firstVersion);
      }
    }
  }

  private static long version(String json) {
    Matcher m = VERSION.matcher(json);
    assertTrue(m.find(), json);
    return Long.parseLong(m.group(1));
  }
}
