package io.reactivews.server.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.testing.ChildPeer;
import io.reactivews.testing.EchoPlan;
import io.reactivews.testing.PeerReport;

/**
 * The echo route against Node's {@code ws} client, at the version pinned by the committed
 * {@code .ci/peers/package-lock.json}, run as {@code node .ci/peers/ws-client.mjs <url>}.
 */
class NodeWsInteropTest extends EchoInterop {

  @Override
  PeerReport exchange(String url, EchoPlan plan) throws Exception {
    return ChildPeer.node("ws-client.mjs").run(url, plan);
  }

  @Override
  void assertIsTheIntendedPeer(JsonNode peer) throws Exception {
    ChildPeer.assertIsPinnedNodeWs(peer);
  }

  @Override
  boolean offersCompression() {
    return true;
  }
}
