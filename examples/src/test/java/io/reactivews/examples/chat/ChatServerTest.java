package io.reactivews.examples.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.TextClient;
import io.reactivews.server.BoundServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat demo over real sockets: its page, and two people talking. */
class ChatServerTest {

  private BoundServer server;
  private String base;

  @BeforeEach
  void start() {
    server = ChatServer.start("127.0.0.1", 0);
    base = "127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void servesItsPageOnTheSamePort() throws Exception {
    HttpResponse<String> page = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + base + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(page.statusCode() == 200, "status " + page.statusCode());
    assertTrue(page.body().contains("new WebSocket("), "the page opens a WebSocket");
  }

  @Test
  void twoPeopleJoinAndEveryLineReachesBoth() throws Exception {
    try (TextClient alice = new TextClient("ws://" + base + "/chat");
        TextClient bob = new TextClient("ws://" + base + "/chat")) {
      alice.send("{\"type\":\"join\",\"name\":\"alice\"}");
      assertTrue(alice.nextContaining("welcome").contains("\"alice\""));
      bob.send("{\"type\":\"join\",\"name\":\"bob\"}");
      assertTrue(alice.nextContaining("joined").contains("\"bob\""));
      bob.nextContaining("welcome");

      bob.send("{\"type\":\"say\",\"text\":\"hello <b>alice</b>\"}");
      String seenByAlice = alice.nextContaining("said");
      String seenByBob = bob.nextContaining("said");
      assertTrue(seenByAlice.contains("hello <b>alice</b>") && seenByAlice.contains("\"bob\""));
      assertTrue(seenByBob.contains("hello <b>alice</b>"));
    }
  }

  @Test
  void speakingBeforeJoiningAndBadJsonGetAnswersNotDisconnection() throws Exception {
    try (TextClient carol = new TextClient("ws://" + base + "/chat")) {
      carol.send("{\"type\":\"say\",\"text\":\"hi\"}");
      assertTrue(carol.nextContaining("error").contains("join before you speak"));
      carol.send("{not json");
      carol.send("{\"type\":\"join\",\"name\":\"carol\"}");
      assertTrue(carol.nextContaining("welcome").contains("carol"));
    }
  }
}
