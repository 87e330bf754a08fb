package io.reactivews.server.testing;

import io.reactivews.testing.RawFrame;
import io.reactivews.testing.RawHttp;
import io.reactivews.testing.conformance.FrameInbox;
import io.reactivews.testing.conformance.PeerConnection.Ended;
import io.reactivews.testing.conformance.PeerConnection.Inbound;
import io.reactivews.testing.conformance.PeerConnection.Received;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A deliberately dumb WebSocket client on a blocking {@link Socket}, for testing servers from the
 * outside: it performs the opening handshake (RFC 6455 section 4.1), then writes whatever frames
 * it is given, valid or not, in one write or chopped into pieces with pauses between them, and
 * reports what comes back as raw frames plus how the connection ended.
 *
 * <p>It never answers anything by itself (no pongs, no close replies): the test decides. Masking
 * keys come from a fixed sequence, so runs are repeatable. TCP_NODELAY is on so that each chop
 * leaves as its own segment.
 *
 * <p>Threading: a {@link FrameInbox} reads and queues {@link Inbound} events on its own thread; the
 * test thread writes and polls. Every wait is bounded: connect and handshake by the connect
 * timeout, polls by their argument, and the reader gives up after {@link FrameInbox#IDLE_LIMIT}
 * of silence. Always {@link #close()}.
 *
 * <pre>{@code
 * try (RawClient client = RawClient.connect(server.address(), "/echo")) {
 *   client.send(RawFrame.text("Hello").fin(false));
 *   client.sendChopped(1, Duration.ZERO, RawFrame.continuation(", world"));
 *   RawFrame echo = client.nextFrame(Duration.ofSeconds(5));
 *   client.send(RawFrame.close(1000, ""));
 *   RawFrame reply = client.nextFrame(Duration.ofSeconds(5));
 *   PeerConnection.Ended end = client.awaitEnd(Duration.ofSeconds(2));
 * }
 * }</pre>
 */
public final class RawClient implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final OutputStream out;
  private final String handshakeResponse;
  private final FrameInbox inbox;
  private volatile Ended ended;
  private int nextKey = 0x37fa213d;

  private RawClient(Socket socket, String handshakeResponse) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.handshakeResponse = handshakeResponse;
    this.inbox = FrameInbox.start(socket);
  }

  /** Connects to 127.0.0.1:{@code port} and upgrades {@code path}. */
  public static RawClient connect(int port, String path) throws IOException {
    return connect(new InetSocketAddress("127.0.0.1", port), path);
  }

  /**
   * Connects and performs the opening handshake.
   *
   * @throws IOException if the connection fails or the answer is not a valid 101
   */
  public static RawClient connect(InetSocketAddress address, String path) throws IOException {
    return connect(address, path, "");
  }

  /**
   * Connects and performs the opening handshake with extra header lines, each ending in CRLF,
   * such as {@code "Sec-WebSocket-Extensions: permessage-deflate\r\n"}.
   */
  public static RawClient connect(InetSocketAddress address, String path, String extraHeaders)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
      String request = RawHttp.upgradeRequest(
          address.getHostString() + ":" + address.getPort(), path);
      request = request.substring(0, request.length() - 2) + extraHeaders + "\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String response = RawHttp.readHead(in);
      checkUpgrade(response);
      return new RawClient(socket, response);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The server's handshake answer: status line and headers. */
  public String handshakeResponse() {
    return handshakeResponse;
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  /** Encodes frames back to back, masking each with the next key of this client's sequence. */
  public byte[] encode(RawFrame... frames) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (RawFrame frame : frames) {
      bytes.writeBytes(frame.bytes(nextKey));
      nextKey = nextKey * 0x9E3779B1 + 0x7F4A7C15;
    }
    return bytes.toByteArray();
  }

  /** Writes the frames in one write. */
  public RawClient send(RawFrame... frames) throws IOException {
    return write(encode(frames));
  }

  /** Writes each frame with its own write, pausing between them. */
  public RawClient sendFrameWise(Duration pause, RawFrame... frames) throws IOException {
    for (int i = 0; i < frames.length; i++) {
      if (i > 0) {
        sleep(pause);
      }
      send(frames[i]);
    }
    return this;
  }

  /** Writes the frames' bytes in writes of {@code chopSize} bytes, pausing between them. */
  public RawClient sendChopped(int chopSize, Duration pause, RawFrame... frames)
      throws IOException {
    return write(encode(frames), chopSize, pause);
  }

  /** Writes raw bytes as they are. */
  public RawClient write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Writes raw bytes in pieces of {@code chopSize}, pausing between them. */
  public RawClient write(byte[] bytes, int chopSize, Duration pause) throws IOException {
    if (chopSize < 1) {
      throw new IllegalArgumentException("chopSize must be positive: " + chopSize);
    }
    for (int from = 0; from < bytes.length; from += chopSize) {
      if (from > 0) {
        sleep(pause);
      }
      out.write(bytes, from, Math.min(chopSize, bytes.length - from));
      out.flush();
    }
    return this;
  }

  /** Sends a FIN: this side writes nothing more, but keeps reading. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** The next event within {@code timeout}, or null if none came. */
  public Inbound poll(Duration timeout) throws InterruptedException {
    Inbound next = inbox.poll(timeout);
    if (next instanceof Ended end) {
      ended = end;
    }
    return next;
  }

  /**
   * The next frame within {@code timeout}.
   *
   * @throws AssertionError if nothing came or the connection ended instead
   */
  public RawFrame nextFrame(Duration timeout) throws InterruptedException {
    Inbound next = poll(timeout);
    if (next instanceof Received received) {
      return received.frame();
    }
    throw new AssertionError(next == null
        ? "no frame within " + timeout.toMillis() + " ms" : "expected a frame, got " + next);
  }

  /**
   * Skips nothing: the next event must be the end of the connection, within {@code timeout}.
   *
   * @throws AssertionError if a frame came first or nothing came
   */
  public Ended awaitEnd(Duration timeout) throws InterruptedException {
    Inbound next = poll(timeout);
    if (next instanceof Ended end) {
      return end;
    }
    throw new AssertionError(next == null
        ? "the connection did not end within " + timeout.toMillis() + " ms"
        : "expected the end of the connection, got " + next);
  }

  /** The end, once {@link #poll} returned it; null before. */
  public Ended ended() {
    return ended;
  }

  @Override
  public void close() throws IOException {
    inbox.close();
  }

  private static void checkUpgrade(String response) throws IOException {
    if (!response.startsWith("HTTP/1.1 101")) {
      throw new IOException("not upgraded: " + response.lines().findFirst().orElse(""));
    }
    String accept = RawHttp.header(response, "Sec-WebSocket-Accept");
    if (!RawHttp.accept(RawHttp.SAMPLE_KEY).equals(accept)) {
      throw new IOException("wrong or missing Sec-WebSocket-Accept in: " + response);
    }
  }

  private static void sleep(Duration pause) throws IOException {
    if (pause.isZero()) {
      return;
    }
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pausing", e);
    }
  }

  @Override
  public String toString() {
    return "RawClient[" + socket.getLocalPort() + " -> " + socket.getRemoteSocketAddress() + "]";
  }
}
