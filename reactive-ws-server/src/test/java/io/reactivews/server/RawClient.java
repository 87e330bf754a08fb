package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately dumb WebSocket client on a blocking socket, written apart from the codec under
 * test: it writes whatever bytes a test asks for (half a head, garbage, one byte a second) and
 * reads back raw responses and frames. Not thread-safe.
 */
final class RawClient implements AutoCloseable {

  /** The key of RFC 6455 section 1.3; its accept value is s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. */
  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  /** Every frame this client sends is masked with this key. */
  static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  /** A frame as read: FIN bit, opcode and payload. */
  record Frame(boolean fin, int opcode, byte[] payload) {
    int closeCode() {
      return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    String closeReason() {
      return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  static RawClient connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    socket.setTcpNoDelay(true);
    return new RawClient(socket);
  }

  /** A well-formed upgrade request for {@code path}. */
  static String upgradeRequest(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
  }

  /** Connects and completes a handshake on {@code path}. */
  static RawClient open(int port, String path) throws IOException {
    RawClient client = connect(port);
    client.write(upgradeRequest(path));
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
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("end of stream after " + head.size() + " bytes of head");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
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
    int n = payload.length;
    int lengthBytes = n < 126 ? 0 : n < 65536 ? 2 : 8;
    ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + 4 + n);
    frame.put((byte) (0x80 | opcode));
    if (lengthBytes == 0) {
      frame.put((byte) (0x80 | n));
    } else if (lengthBytes == 2) {
      frame.put((byte) (0x80 | 126)).putShort((short) n);
    } else {
      frame.put((byte) (0x80 | 127)).putLong(n);
    }
    frame.put(MASK);
    for (int i = 0; i < n; i++) {
      frame.put((byte) (payload[i] ^ MASK[i % 4]));
    }
    return frame.array();
  }

  /** Reads one unmasked frame from the server. */
  Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    assertTrue((b1 & 0x80) == 0, "a server frame must not be masked");
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
  }

  /** Reads frames until a close frame, skipping pings and pongs; fails on a data frame. */
  Frame readClose() throws IOException {
    while (true) {
      Frame frame = readFrame();
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
