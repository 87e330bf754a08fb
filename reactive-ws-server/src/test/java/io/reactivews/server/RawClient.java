package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.RawFrame;
import io.reactivews.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately dumb WebSocket client on a blocking socket, written apart from the codec under
 * test: it writes whatever bytes a test asks for (half a head, garbage, one byte a second) and
 * reads back raw responses and frames, on the test's own thread. Requests come from {@link
 * RawHttp}, frames are {@link RawFrame}s. Not thread-safe.
 */
final class RawClient implements AutoCloseable {

  /** Every frame this client sends is masked with this key. */
  static final int MASK = 0x37fa213d;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
  }

  static RawClient connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    socket.setTcpNoDelay(true);
    return new RawClient(socket);
  }

  /** Connects and completes a handshake on {@code path}. */
  static RawClient open(int port, String path) throws IOException {
    RawClient client = connect(port);
    client.write(RawHttp.upgradeRequest(path));
    String head = client.readHead();
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    return client;
  }

  Socket socket() {
    return socket;
  }

  RawClient write(String ascii) throws IOException {
    return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawClient write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads a response head, through the blank line. */
  String readHead() throws IOException {
    return RawHttp.readHead(in);
  }

  /** Reads a whole response until the server closes; a reset after some bytes fails. */
  String readResponse() throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Writes one masked frame with FIN set. */
  RawClient sendFrame(int opcode, byte[] payload) throws IOException {
    return write(frame(opcode, payload));
  }

  RawClient sendText(String text) throws IOException {
    return sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  RawClient sendClose(int code) throws IOException {
    return sendFrame(0x8, new byte[] {(byte) (code >> 8), (byte) code});
  }

  /** A masked frame with FIN set, as it goes on the wire. */
  static byte[] frame(int opcode, byte[] payload) {
    return RawFrame.of(opcode, payload).bytes(MASK);
  }

  /** Reads one frame from the server, which must not be masked. */
  RawFrame readFrame() throws IOException {
    RawFrame frame = RawFrame.read(in);
    assertFalse(frame.isMasked(), "a server frame must not be masked");
    return frame;
  }

  /** Reads frames until a close frame, skipping pings and pongs; fails on a data frame. */
  RawFrame readClose() throws IOException {
    while (true) {
      RawFrame frame = readFrame();
      if (frame.opcode() == 0x8) {
        return frame;
      }
      assertTrue(frame.opcode() == 0x9 || frame.opcode() == 0xA,
          "expected a close frame, got opcode " + frame.opcode());
    }
  }

  /**
   * Waits for the server to end the connection and says how: "eof", "reset", or "open" when
   * {@code millis} passed first. Bytes read meanwhile are dropped.
   */
  String awaitEnd(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      byte[] sink = new byte[4096];
      while (in.read(sink) >= 0) {
        // drop
      }
      return "eof";
    } catch (SocketTimeoutException e) {
      return "open";
    } catch (SocketException e) {
      return "reset";
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
