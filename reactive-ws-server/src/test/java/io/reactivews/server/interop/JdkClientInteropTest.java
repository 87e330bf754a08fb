package io.reactivews.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.testing.EchoPlan;
import io.reactivews.testing.PeerReport;

/** The echo route against the JDK's own {@code java.net.http.WebSocket} client, in process. */
class JdkClientInteropTest extends EchoInterop {

  @Override
  PeerReport exchange(String url, EchoPlan plan) throws Exception {
    return new JdkClientPeer().run(url, plan);
  }

  @Override
  void assertIsTheIntendedPeer(JsonNode peer) {
    assertEquals("java.net.http", peer.path("name").asText());
  }

  @Override
  boolean offersCompression() {
    return false;
  }
}
