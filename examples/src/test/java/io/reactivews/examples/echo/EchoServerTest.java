package io.reactivews.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.examples.TextClient;
import io.reactivews.server.BoundServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EchoServerTest {

  @Test
  void echoesOnAnyPath() throws Exception {
    BoundServer server = EchoServer.start("127.0.0.1", 0);
    try (TextClient client = new TextClient("ws://127.0.0.1:" + server.port() + "/any/path?x=1")) {
      client.send("ping ✓");
      assertEquals("ping ✓", client.next());
    } finally {
      server.shutdown(Duration.ofSeconds(5)).block();
    }
  }
}
