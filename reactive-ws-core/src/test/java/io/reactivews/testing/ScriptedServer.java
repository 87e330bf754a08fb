package io.reactivews.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server end whose every byte the test writes by hand, for testing clients with what a real
 * server would never do: wrong answers, silence, protocol violations. It accepts connections on a
 * plain {@link ServerSocket}; each {@link Peer} reads the request head, answers it (with the
 * right accept value, a wrong one, or anything at all), writes raw bytes and reads raw frames.
 *
 * <p>Bound to 127.0.0.1 on a free port; accepting and reading time out after 5 s. Blocking: the
 * test thread drives it, except {@link #upgradeAsync} for a client whose connect blocks until it
 * is answered. Close it.
 *
 * <pre>{@code
 * try (ScriptedServer server = new ScriptedServer()) {
 *   CompletableFuture<WebSocketSession> connecting = client.connect(server.uri("/")).toFuture();
 *   try (ScriptedServer.Peer peer = server.accept()) {
 *     peer.upgrade();
 *     peer.writeHex("81 85 37fa213d 7f9f4d5158"); // a masked frame, which a client must refuse
 *     RawFrame close = peer.readFrame();
 *   }
 * }
 * }</pre>
 */
public final class ScriptedServer implements AutoCloseable {

  private static final int TIMEOUT_MS = 5000;

  private final ServerSocket socket;

  public ScriptedServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    socket.setSoTimeout(TIMEOUT_MS);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port());
  }

  /** {@code ws://127.0.0.1:port} followed by {@code path}. */
  public String uri(String path) {
    return "ws://127.0.0.1:" + port() + path;
  }

  /** The next connection, waiting at most 5 s. */
  public Peer accept() throws IOException {
    Socket accepted = socket.accept();
    accepted.setSoTimeout(TIMEOUT_MS);
    return new Peer(accepted);
  }

  /**
   * Accepts and answers the handshake on another thread; {@code accept}, if not null, replaces
   * the right Sec-WebSocket-Accept value. Take the peer with {@link #await}.
   */
  public CompletableFuture<Peer> upgradeAsync(String accept) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        Peer peer = accept();
        peer.upgrade(accept);
        return peer;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The peer {@link #upgradeAsync} accepted, waiting at most 5 s. */
  public Peer await(CompletableFuture<Peer> accepted) throws Exception {
    return accepted.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** One accepted connection. Not thread-safe. */
  public static final class Peer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    public Socket socket() {
      return socket;
    }

    /** Reads the request head, up to and including the blank line. */
    public String readHead() throws IOException {
      return RawHttp.readHead(in);
    }

    /** Reads the request and answers 101 with the right accept; returns the request head. */
    public String upgrade() throws IOException {
      return upgrade(null);
    }

    /**
     * Reads the request and answers 101 with {@code accept} as Sec-WebSocket-Accept, or the
     * right value when it is null; returns the request head.
     */
    public String upgrade(String accept) throws IOException {
      String head = readHead();
      String key = RawHttp.header(head, "Sec-WebSocket-Key");
      write(RawHttp.switchingProtocols(
          accept != null ? accept : RawHttp.accept(key == null ? "" : key)));
      return head;
    }

    /**
     * Reads the request and answers 101 with the right accept and these extra header lines,
     * each ending in CRLF; returns the request head.
     */
    public String upgradeWith(String extraHeaders) throws IOException {
      String head = readHead();
      String key = RawHttp.header(head, "Sec-WebSocket-Key");
      String answer = RawHttp.switchingProtocols(RawHttp.accept(key == null ? "" : key));
      write(answer.substring(0, answer.length() - 2) + extraHeaders + "\r\n");
      return head;
    }

    public void write(String ascii) throws IOException {
      write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes bytes given in hex, spaces allowed, such as {@code "88 02 03e8"}. */
    public void writeHex(String hex) throws IOException {
      write(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    public void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** The next frame the client sent, unmasked. */
    public RawFrame readFrame() throws IOException {
      return RawFrame.read(in);
    }

    /** Whether the client closed its side: read returns end of stream (or the reset of one). */
    public boolean readsEndOfStream() throws IOException {
      try {
        return in.read() < 0;
      } catch (SocketException e) {
        return true; // reset: closed as well
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
