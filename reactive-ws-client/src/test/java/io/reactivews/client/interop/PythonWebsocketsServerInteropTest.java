package io.reactivews.client.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  /**
   * This server limits both windows to 12 bits: our client answers with Huffman coding only,
   * which the server's zlib, inflating with a 12-bit window, reads (the echoes show it).
   */
  @Override
  void assertAgreement(String agreed) {
    assertEquals("permessage-deflate; server_max_window_bits=12; client_max_window_bits=12",
        agreed);
  }
}
