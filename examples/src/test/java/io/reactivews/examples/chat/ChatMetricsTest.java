package io.reactivews.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.PrometheusMetrics;
import io.reactivews.examples.TextClient;
import io.reactivews.server.BoundServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code chat --metrics}: Prometheus text at /metrics on the chat's own port. */
class ChatMetricsTest {

  private BoundServer server;

  @AfterEach
  void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void theScrapeShowsTheChatsSessionsAndMessages() throws Exception {
    server = ChatServer.start("127.0.0.1", 0, PrometheusMetrics.on());
    String base = "127.0.0.1:" + server.port();
    try (TextClient alice = new TextClient("ws://" + base + "/chat")) {
      alice.send("{\"type\":\"join\",\"name\":\"alice\"}");
      alice.nextContaining("welcome");
      HttpResponse<String> scrape = get("http://" + base + "/metrics");
      assertEquals(200, scrape.statusCode());
      assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String text = scrape.body();
      assertTrue(text.contains("reactivews_server_sessions_active{route=\"/chat\"} 1.0"), text);
      assertTrue(text.contains("reactivews_server_messages_received_total{route=\"/chat\"} 1.0"),
          text);
      assertTrue(text.contains(
          "reactivews_server_handshakes_seconds_count{route=\"/chat\",status=\"101\"} 1"), text);
    }
  }

  @Test
  void withoutTheFlagThereIsNoMetricsPage() throws Exception {
    server = ChatServer.start("127.0.0.1", 0);
    assertEquals(404, get("http://127.0.0.1:" + server.port() + "/metrics").statusCode());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
