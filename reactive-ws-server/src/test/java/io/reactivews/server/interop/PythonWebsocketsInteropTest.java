package io.reactivews.server.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.testing.ChildPeer;
import io.reactivews.testing.EchoPlan;
import io.reactivews.testing.PeerReport;

/**
 * The echo route against the Python {@code websockets} client from Debian's
 * {@code python3-websockets}, run with Debian's interpreter: the {@code python3} first on
 * {@code PATH} may be another one that cannot see Debian's packages.
 */
class PythonWebsocketsInteropTest extends EchoInterop {

  @Override
  PeerReport exchange(String url, EchoPlan plan) throws Exception {
    return ChildPeer.debianPython("websockets_client.py").run(url, plan);
  }

  @Override
  void assertIsTheIntendedPeer(JsonNode peer) {
    ChildPeer.assertIsDebianWebsockets(peer);
  }

  @Override
  boolean offersCompression() {
    return true;
  }
}
