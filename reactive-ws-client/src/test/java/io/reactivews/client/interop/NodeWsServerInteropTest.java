package io.reactivews.client.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.testing.ChildPeer;

/**
 * Our client against Node's {@code ws} server, at the version pinned by the committed {@code
 * .ci/peers/package-lock.json}, run as {@code node .ci/peers/ws-server.mjs}.
 */
class NodeWsServerInteropTest extends ForeignServerInterop {

  @Override
  ChildPeer server() {
    return ChildPeer.node("ws-server.mjs");
  }

  @Override
  void assertIsTheIntendedPeer(JsonNode peer) throws Exception {
    ChildPeer.assertIsPinnedNodeWs(peer);
  }
}
