package io.reactivews.client.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The client spec: copies on every setter, checks in the setter, and the Engine.IO URI. */
class SocketIoClientSpecTest {

  private final SocketIoClient client = SocketIoClient.create();

  @Test
  void settersReturnCopiesAndLeaveTheOriginalAlone() {
    SocketIoClient changed = client.path("/io/").ackTimeout(Duration.ofSeconds(1))
        .offlineBuffer(3).refuseWhileDisconnected();
    assertNotSame(client, changed);
    assertEquals("/socket.io/", client.path);
    assertEquals(Duration.ofSeconds(10), client.ackTimeout);
    assertEquals(256, client.offlineBuffer);
    assertEquals(false, client.refuseWhileDisconnected);
    assertEquals("/io/", changed.path);
    assertEquals(3, changed.offlineBuffer);
    assertEquals(true, changed.refuseWhileDisconnected);
    assertEquals(false, changed.offlineBuffer(5).refuseWhileDisconnected,
        "choosing a buffer again undoes refusing");
  }

  @Test
  void settersRejectBadValues() {
    assertThrows(IllegalArgumentException.class, () -> client.path("socket.io/"));
    assertThrows(IllegalArgumentException.class, () -> client.path("/socket.io"));
    assertThrows(IllegalArgumentException.class, () -> client.ackTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> client.connectTimeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> client.offlineBuffer(0));
    assertThrows(NullPointerException.class, () -> client.webSocket(null));
    assertThrows(NullPointerException.class, () -> client.reconnect(null));
  }

  @Test
  void theEngineUriUsesTheWebSocketTransport() {
    assertEquals("ws://example.org:3000/socket.io/?EIO=4&transport=websocket",
        client.engineUri(URI.create("http://example.org:3000/admin")));
    assertEquals("wss://example.org/socket.io/?EIO=4&transport=websocket&room=7",
        client.engineUri(URI.create("https://example.org/?room=7")));
    assertEquals("ws://[::1]:80/io/?EIO=4&transport=websocket",
        client.path("/io/").engineUri(URI.create("ws://[::1]:80")));
    assertThrows(IllegalArgumentException.class,
        () -> client.engineUri(URI.create("ftp://example.org/")));
    assertThrows(IllegalArgumentException.class, () -> client.engineUri(URI.create("/admin")));
  }

  @Test
  void namespacesAndAuthAreCheckedOnConnect() {
    SocketIoManager manager = client.manager("http://127.0.0.1:1");
    assertThrows(IllegalArgumentException.class, () -> manager.connect("admin"));
    assertThrows(IllegalArgumentException.class, () -> manager.connect("/a,b"));
    StepVerifier.create(manager.connect("/", "a string"))
        .expectErrorMessage("auth must be a JSON object, not STRING")
        .verify(Duration.ofSeconds(5));
  }
}
