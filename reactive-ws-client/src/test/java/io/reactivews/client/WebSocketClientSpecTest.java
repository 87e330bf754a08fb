package io.reactivews.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client spec: every setter returns a checked copy and leaves the original alone. */
class WebSocketClientSpecTest {

  @Test
  void settersReturnCopiesAndLeaveTheOriginalUnchanged() {
    WebSocketClient base = WebSocketClient.create();
    WebSocketClient changed = base.subprotocols("v1").origin("https://a.example")
        .proxy(ClientProxy.http("127.0.0.1", 3128)).insecureTrustAll();
    assertNotSame(base, changed);
    assertFalse(base.toString().contains("v1"), base.toString());
    assertTrue(changed.toString().contains("[v1]"), changed.toString());
    assertTrue(changed.toString().contains("INSECURE"), changed.toString());
    assertTrue(base.toString().contains("host names checked"), base.toString());
    assertFalse(changed.noProxy().toString().contains("proxy"));
  }

  @Test
  void headersTheHandshakeSetsItselfAreRefused() {
    WebSocketClient client = WebSocketClient.create();
    for (String name : new String[] {"Upgrade", "Connection", "Sec-WebSocket-Key",
        "Sec-WebSocket-Protocol", "Origin", "Content-Length"}) {
      assertThrows(IllegalArgumentException.class, () -> client.header(name, "x"), name);
    }
  }

  @Test
  void headerValuesThatWouldSplitTheHeadAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> WebSocketClient.create().header("X-Evil", "a\r\nInjected: yes"));
    assertThrows(IllegalArgumentException.class,
        () -> WebSocketClient.create().header("Bad Name", "x"));
  }

  @Test
  void subprotocolsMustBeDistinctTokens() {
    assertThrows(IllegalArgumentException.class,
        () -> WebSocketClient.create().subprotocols("chat v2"));
    assertThrows(IllegalArgumentException.class,
        () -> WebSocketClient.create().subprotocols("v1", "v1"));
  }

  @Test
  void timeoutsMustBePositive() {
    WebSocketClient client = WebSocketClient.create();
    assertThrows(IllegalArgumentException.class, () -> client.connectTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> client.handshakeTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> client.maxResponseHead(100, 10));
  }

  @Test
  void proxiesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> ClientProxy.http("", 3128));
    assertThrows(IllegalArgumentException.class, () -> ClientProxy.socks5("proxy", 0));
    assertThrows(IllegalArgumentException.class,
        () -> ClientProxy.http("proxy", 3128).connectTimeout(Duration.ZERO));
    ClientProxy proxy = ClientProxy.socks5("proxy", 1080).credentials("bot", "secret");
    assertEquals(ClientProxy.Type.SOCKS5, proxy.type());
    assertFalse(proxy.toString().contains("secret"), proxy.toString());
  }

  @Test
  void reconnectSpecsAreChecked() {
    ReconnectSpec spec = WebSocketClient.create().reconnecting("ws://127.0.0.1:1/");
    assertThrows(IllegalArgumentException.class, () -> spec.queueLimit(0));
    assertThrows(IllegalArgumentException.class, () -> spec.finalCloseCodes(999));
    assertThrows(IllegalArgumentException.class, () -> spec.finalHandshakeStatuses(99));
    assertThrows(IllegalArgumentException.class, () -> spec.finalHandshakeStatuses(600));
    assertThrows(IllegalArgumentException.class, () -> spec.stableAfter(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> spec.stableAfter(null));
    assertEquals(Set.of(400, 401, 403, 404, 405, 410, 426), spec.finalHandshakeStatuses);
    assertEquals(Set.of(503), spec.finalHandshakeStatuses(503).finalHandshakeStatuses);
    assertEquals(Duration.ofSeconds(5), spec.stableAfter);
    assertThrows(IllegalArgumentException.class,
        () -> WebSocketClient.create().reconnecting("ws://127.0.0.1/#fragment"));
  }

  @Test
  void serverNameIndicationNamesHostsButNeverAddresses() {
    assertEquals("game.example.org", ClientConnector.serverName("game.example.org").getAsciiName());
    assertEquals("localhost", ClientConnector.serverName("localhost").getAsciiName());
    assertNull(ClientConnector.serverName("127.0.0.1"));
    assertNull(ClientConnector.serverName("::1"));
  }

  @Test
  void connectionStatesReadAsTheyAreNamed() {
    assertEquals("RECONNECTING(attempt 3)", ConnectionState.reconnecting(3, null).toString());
    assertEquals("CLOSED", ConnectionState.closed(null).toString());
    assertEquals(ConnectionState.reconnecting(2, null), ConnectionState.reconnecting(2, null));
  }
}
