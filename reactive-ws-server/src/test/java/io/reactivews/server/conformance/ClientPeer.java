package io.reactivews.server.conformance;

import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.conformance.PeerConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;

/**
 * The peer's end of a conformance case against the server: a {@link RawClient} seen as a {@link
 * PeerConnection} (its writes return the client, for chaining, where the interface's return
 * nothing). Not thread-safe, like the client.
 */
final class ClientPeer implements PeerConnection {

  private final RawClient client;

  private ClientPeer(RawClient client) {
    this.client = client;
  }

  /** Connects to the server and upgrades {@code path}. */
  static ClientPeer connect(InetSocketAddress address, String path) throws IOException {
    return new ClientPeer(RawClient.connect(address, path));
  }

  /** Connects and upgrades {@code path}, offering these extensions. */
  static ClientPeer connect(InetSocketAddress address, String path, String extensions)
      throws IOException {
    return new ClientPeer(RawClient.connect(address, path,
        "Sec-WebSocket-Extensions: " + extensions + "\r\n"));
  }

  /** The server's handshake answer: status line and headers. */
  String handshakeResponse() {
    return client.handshakeResponse();
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    client.write(offset == 0 && length == bytes.length ? bytes
        : Arrays.copyOfRange(bytes, offset, offset + length));
  }

  @Override
  public Inbound poll(Duration timeout) throws InterruptedException {
    return client.poll(timeout);
  }

  @Override
  public void shutdownOutput() throws IOException {
    client.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
