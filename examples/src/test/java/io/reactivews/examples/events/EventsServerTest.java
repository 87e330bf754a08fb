package io.reactivews.examples.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.examples.TextClient;
import io.reactivews.server.BoundServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventsServerTest {

  @Test
  void routesByTypeAnswersWithTheRequestIdAndSurvivesBadEvents() throws Exception {
    BoundServer server = EventsServer.start("127.0.0.1", 0);
    try (TextClient client = new TextClient("ws://127.0.0.1:" + server.port() + "/events")) {
      client.send("{\"type\":\"player_death\",\"victim\":\"bob\",\"killer\":\"alice\"}");
      client.send("{\"type\":\"player_death\",\"victim\":\"carol\",\"killer\":\"alice\"}");
      client.send("{\"type\":\"player_death\",\"victim\":\"alice\",\"killer\":\"alice\"}");
      client.send("{\"type\":\"get_scores\",\"id\":7}");
      assertEquals("{\"type\":\"scores\",\"id\":7,\"scores\":{\"alice\":2}}", client.next());

      client.send("{\"type\":\"nonsense\",\"id\":8}");
      assertEquals("{\"type\":\"error\",\"id\":8,\"message\":\"unknown event type: nonsense\"}",
          client.next());
      client.send("not json at all");
      assertEquals(true, client.next().startsWith("{\"type\":\"error\""));
      client.send("{\"type\":\"get_scores\",\"id\":\"x\"}");
      assertEquals("{\"type\":\"scores\",\"id\":\"x\",\"scores\":{\"alice\":2}}", client.next());
    } finally {
      server.shutdown(Duration.ofSeconds(5)).block();
    }
  }
}
