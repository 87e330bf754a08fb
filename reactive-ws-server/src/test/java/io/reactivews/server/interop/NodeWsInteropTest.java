package io.reactivews.server.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;

/**
 * The echo route against Node's {@code ws} client, at the version pinned by the committed
 * {@code .ci/peers/package-lock.json}, run as {@code node .ci/peers/ws-client.mjs <url>}.
 */
class NodeWsInteropTest extends EchoInterop {

  @Override
  PeerReport exchange(String url, EchoPlan plan) throws Exception {
    return ChildPeer.of("node", "ws-client.mjs").run(url, plan);
  }

  @Override
  void assertIsTheIntendedPeer(JsonNode peer) throws Exception {
    Path lock = ChildPeer.peersDir().resolve("package-lock.json");
    String pinned = new JsonMapper().readTree(lock.toFile())
        .path("packages").path("node_modules/ws").path("version").asText();
    assertEquals("ws", peer.path("name").asText());
    assertEquals(pinned, peer.path("version").asText(),
        "the installed ws differs from the lockfile's: run .ci/install");
  }
}
