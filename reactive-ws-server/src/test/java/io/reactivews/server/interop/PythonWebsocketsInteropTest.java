package io.reactivews.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The echo route against the Python {@code websockets} client from Debian's
 * {@code python3-websockets}, run with Debian's interpreter: the {@code python3} first on
 * {@code PATH} may be another one that cannot see Debian's packages.
 */
class PythonWebsocketsInteropTest extends EchoInterop {

  static final String DEBIAN_PYTHON = "/usr/bin/python3";

  @Override
  PeerReport exchange(String url, EchoPlan plan) throws Exception {
    return ChildPeer.of(DEBIAN_PYTHON, "websockets_client.py").run(url, plan);
  }

  @Override
  void assertIsTheIntendedPeer(JsonNode peer) {
    assertEquals("websockets", peer.path("name").asText());
    String module = peer.path("module").asText();
    assertTrue(module.startsWith("/usr/lib/python3/dist-packages/websockets/"),
        "websockets should come from Debian's python3-websockets, not " + module);
  }
}
