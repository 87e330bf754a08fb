package io.reactivews.client;

import io.reactivews.core.handshake.WebSocketAccept;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A scripted server on a plain {@link ServerSocket}, for what our own server would never do:
 * wrong answers, silence, protocol violations. Blocking; one test thread drives it.
 */
final class FakeServer implements AutoCloseable {

  private final ServerSocket socket;

  FakeServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    socket.setSoTimeout(5000);
  }

  int port() {
    return socket.getLocalPort();
  }

  String uri(String path) {
    return "ws://127.0.0.1:" + port() + path;
  }

  Peer accept() throws IOException {
    Socket s = socket.accept();
    s.setSoTimeout(5000);
    return new Peer(s);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A frame as read off the wire, unmasked. */
  record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
    int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** One accepted connection. */
  static final class Peer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    Peer(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    /** Reads the request head, up to and including the blank line. */
    String readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("end of stream in the head: " + head);
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    static String header(String head, String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    /** Reads the request and answers 101 with the right accept; returns the request head. */
    String upgrade() throws IOException {
      String head = readHead();
      String key = header(head, "Sec-WebSocket-Key");
      write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + WebSocketAccept.of(key) + "\r\n\r\n");
      return head;
    }

    void write(String ascii) throws IOException {
      write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void writeHex(String hex) throws IOException {
      write(HexFormat.of().parseHex(hex.replace(" ", "").toLowerCase(Locale.ROOT)));
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    Frame readFrame() throws IOException {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      boolean masked = (b1 & 0x80) != 0;
      byte[] mask = new byte[4];
      if (masked) {
        in.readFully(mask);
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      if (masked) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
      }
      return new Frame((b0 & 0x80) != 0, b0 & 0x0F, masked, payload);
    }

    /** Whether the client closed its side: read returns end of stream. */
    boolean readsEndOfStream() throws IOException {
      try {
        return in.read() < 0;
      } catch (java.net.SocketException e) {
        return true; // reset: closed as well
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
