package io.reactivews.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server end whose every byte the test writes by hand, for testing clients (such as {@link
 * RawClient}) and the checks built on them: it accepts one connection, answers the opening
 * handshake (with the right accept value, or a given wrong one), and hands the socket over.
 *
 * <p>Bound to 127.0.0.1 on a free port; accepting and reading time out after 5 s. Close it.
 *
 * <pre>{@code
 * try (ScriptedPeer peer = new ScriptedPeer()) {
 *   CompletableFuture<Socket> accepted = peer.acceptAsync(null);
 *   RawClient client = RawClient.connect(peer.address(), "/");
 *   Socket socket = peer.await(accepted);
 *   socket.getOutputStream().write(HexFormat.of().parseHex("810548656c6c6f"));
 * }
 * }</pre>
 */
public final class ScriptedPeer implements AutoCloseable {

  private static final int TIMEOUT_MS = 5000;
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket server;

  public ScriptedPeer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    server.setSoTimeout(TIMEOUT_MS);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.getLocalPort());
  }

  /**
   * Accepts and answers the handshake on another thread; {@code wrongAccept}, if not null,
   * replaces the correct Sec-WebSocket-Accept value.
   */
  public CompletableFuture<Socket> acceptAsync(String wrongAccept) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        Socket socket = server.accept();
        socket.setSoTimeout(TIMEOUT_MS);
        String head = readHead(socket.getInputStream());
        String key = head.lines()
            .filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("");
        String accept = wrongAccept != null ? wrongAccept : accept(key);
        socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The accepted socket, waiting at most 5 s. */
  public Socket await(CompletableFuture<Socket> accepted) throws Exception {
    return accepted.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String accept(String key) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
