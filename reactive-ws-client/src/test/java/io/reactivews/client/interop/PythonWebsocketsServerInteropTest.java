package io.reactivews.client.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.reactivews.testing.ChildPeer;

/**
 * Our client against the Python {@code websockets} server from Debian's {@code
 * python3-websockets}, run with Debian's interpreter as {@code .ci/peers/websockets_server.py}.
 */
class PythonWebsocketsServerInteropTest extends ForeignServerInterop {

  @Override
  ChildPeer server() {
    return ChildPeer.debianPython("websockets_server.py");
  }

  @Override
  void assertIsTheIntendedPeer(JsonNode peer) {
    ChildPeer.assertIsDebianWebsockets(peer);
  }
}
