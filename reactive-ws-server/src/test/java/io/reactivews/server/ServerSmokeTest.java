package io.reactivews.server;

import static io.reactivews.testing.RawHttp.upgradeRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server through real loopback sockets, with the JDK's own WebSocket client as the peer. */
class ServerSmokeTest {

  private BoundServer server;

  @BeforeEach
  void start() {
    server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .route(Route.exact("/page", session -> session.receive().then())
            .page(StaticPage.html("<h1>hi</h1>")))
        .route(Route.exact("/private", session -> session.receive().then())
            .origins(OriginPolicy.allow("https://good.example")))
        .bindNow();
  }

  @AfterEach
  void stop() {
    server.shutdown(Duration.ofSeconds(5)).block();
  }

  @Test
  void jdkClientEchoesTextAndBinary() throws Exception {
    RecordingListener client = RecordingListener.open(HttpClient.newHttpClient(),
        "ws://127.0.0.1:" + server.port() + "/echo");
    client.socket.sendText("héllo", true).get(5, TimeUnit.SECONDS);
    assertEquals("héllo", client.nextText());
    client.socket.sendBinary(ByteBuffer.wrap(new byte[3000]), true).get(5, TimeUnit.SECONDS);
    assertEquals(3000, client.messages.poll(5, TimeUnit.SECONDS), "binary message length");
    assertEquals(1, server.registry().count());
    client.socket.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
    assertEquals(1000, client.awaitClose());
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertTrue(exchange(upgradeRequest("/nowhere")).startsWith("HTTP/1.1 404"));
  }

  @Test
  void plainGetOfARouteWithAPageServesIt() throws Exception {
    String response = exchange("GET /page HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertTrue(response.endsWith("<h1>hi</h1>"), response);
  }

  @Test
  void wrongVersionIs426WithTheSupportedVersion() throws Exception {
    String response = exchange(upgradeRequest("/echo").replace("Version: 13", "Version: 8"));
    assertTrue(response.startsWith("HTTP/1.1 426"), response);
    assertTrue(response.contains("Sec-WebSocket-Version: 13"), response);
  }

  @Test
  void refusedOriginIs403() throws Exception {
    String response = exchange(upgradeRequest("/private").replace("\r\n\r\n",
        "\r\nOrigin: https://evil.example\r\n\r\n"));
    assertTrue(response.startsWith("HTTP/1.1 403"), response);
  }

  /** Sends a raw request and reads until the server closes. */
  private String exchange(String request) throws Exception {
    try (RawClient client = RawClient.connect(server.port())) {
      return client.write(request).readResponse();
    }
  }
}
