package io.reactivews.server;

import static io.reactivews.server.EventLog.closed;
import static io.reactivews.server.EventLog.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thousand sessions at once, each exchanging numbered messages, then a graceful shutdown that
 * every client sees as 1001 (going away, RFC 6455 section 7.4.1).
 */
class ScaleAndShutdownTest {

  private static final int CLIENTS = 1000;
  private static final int MESSAGES = 10;

  @Test
  void thousandSessionsEchoInOrderThenAllSeeGoingAway() throws Exception {
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/echo", session -> session.send(session.receive()))
        .bindNow();
    EventLog events = new EventLog(server);
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");

    long start = System.nanoTime();
    List<RecordingListener> clients = new ArrayList<>();
    List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      RecordingListener listener = new RecordingListener();
      clients.add(listener);
      opening.add(http.newWebSocketBuilder().buildAsync(uri, listener)
          .thenApply(ws -> listener.socket = ws));
    }
    CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    long opened = System.nanoTime();
    // A session joins the registry just after its 101 is written, so the last may lag a little.
    events.await(CLIENTS, connected(), Duration.ofSeconds(5));
    assertEquals(CLIENTS, server.registry().count());

    // Every client sends its numbered messages, each after the previous one was written.
    List<CompletableFuture<?>> sending = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      WebSocket ws = clients.get(i).socket;
      CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
      for (int n = 0; n < MESSAGES; n++) {
        String text = i + ":" + n;
        chain = chain.thenCompose(x -> ws.sendText(text, true));
      }
      sending.add(chain);
    }
    CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < CLIENTS; i++) {
      for (int n = 0; n < MESSAGES; n++) {
        assertEquals(i + ":" + n, clients.get(i).nextText(), "client " + i);
      }
    }
    long echoed = System.nanoTime();

    server.shutdown(Duration.ofSeconds(10)).block(Duration.ofSeconds(20));
    long stopped = System.nanoTime();
    for (int i = 0; i < CLIENTS; i++) {
      assertEquals(1001, clients.get(i).awaitClose(), "client " + i);
      assertTrue(clients.get(i).messages.isEmpty(), "client " + i + " got extra messages");
    }
    assertFalse(server.isListening());
    assertEquals(0, server.registry().count());
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", server.port()).close());

    events.await(CLIENTS, closed(1001), Duration.ofSeconds(5));
    assertEquals(2 * CLIENTS, events.all().size(), "only Connected and Closed(1001) events");
    System.out.printf("%d sessions: opened in %d ms, %d echoes in %d ms, shutdown in %d ms%n",
        CLIENTS, ms(opened - start), CLIENTS * MESSAGES, ms(echoed - opened), ms(stopped - echoed));
    // The closes completed as handshakes, well before the shutdown's 10 s deadline.
    assertTrue(ms(stopped - echoed) < 8000, "shutdown took " + ms(stopped - echoed) + " ms");
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
