package io.reactivews.examples.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The load generator's client end of one WebSocket connection, as cheap as a client can be, so
 * that the server is what gets measured: one plain NIO socket, frames sent from pre-encoded
 * buffers, server frames parsed in place from one direct buffer and handed out as payload slices
 * (never copied), pings answered.
 *
 * <p>It speaks just enough RFC 6455 for a benchmark: the opening handshake is written and read
 * while blocking, then the socket turns non-blocking and joins a {@link Selector}. Confined to
 * the thread that runs the selector.
 */
final class BenchSocket {

  /** What a load mode does with what arrives. */
  interface Listener {

    /** Part of a data message's payload; the slice is only valid during the call. */
    void onPayload(BenchSocket socket, ByteBuffer slice);

    /** The end of a data message: its opcode (1 text, 2 binary) and total payload length. */
    void onMessage(BenchSocket socket, int opcode, long length);
  }

  private static final byte[] PONG_HEADER = {(byte) 0x8A, (byte) 0x80};

  private final SocketChannel channel;
  private final ByteBuffer in;
  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private final ByteBuffer[] gather = new ByteBuffer[64];
  private SelectionKey key;
  private Listener listener;
  private Object attachment;

  // The frame being read: -1 while waiting for a header.
  private long remaining = -1;
  private boolean fin;
  private int messageOpcode;
  private boolean messageCompressed;
  private long messageLength;
  private boolean closed;
  /** permessage-deflate was agreed and the server compresses each message with its history. */
  private boolean serverKeepsContext;

  private BenchSocket(SocketChannel channel, ByteBuffer in) {
    this.channel = channel;
    this.in = in;
  }

  /** Lets every socket the last {@code select} found ready read and write what it can. */
  static void serveReady(Selector selector) throws IOException {
    for (SelectionKey key : selector.selectedKeys()) {
      ((BenchSocket) key.attachment()).onReady();
    }
    selector.selectedKeys().clear();
  }

  /** The offer of a load that asks for permessage-deflate, as browsers make it. */
  static final String DEFLATE_OFFER =
      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";

  /**
   * Connects and upgrades; any bytes after the 101 stay in the input buffer.
   *
   * @throws IOException if the connection fails or the answer is not a 101
   */
  static BenchSocket open(URI url, int bufferSize) throws IOException {
    return open(url, bufferSize, 0);
  }

  /**
   * A connection that upgrades and then is never read: a viewer that stalls. Its receive buffer
   * is {@code receiveBuffer} bytes (set before connecting, so the window stays small), so that
   * the server soon has to hold or drop what it sends.
   */
  static BenchSocket openStalled(URI url, int receiveBuffer) throws IOException {
    return open(url, 4096, receiveBuffer);
  }

  private static BenchSocket open(URI url, int bufferSize, int receiveBuffer)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      if (receiveBuffer > 0) {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      }
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()));
      BenchSocket socket = new BenchSocket(channel, ByteBuffer.allocateDirect(bufferSize));
      socket.writeRequest(url, "");
      socket.readResponse();
      channel.configureBlocking(false);
      return socket;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Opens {@code count} connections, {@code batch} handshakes in flight at a time. */
  static void openMany(URI url, int count, int bufferSize, int batch, List<BenchSocket> into)
      throws IOException {
    openMany(url, count, bufferSize, batch, "", into);
  }

  /** As above, each request with these extra header lines (each ending in CRLF). */
  static void openMany(URI url, int count, int bufferSize, int batch, String extraHeaders,
      List<BenchSocket> into) throws IOException {
    while (into.size() < count) {
      int n = Math.min(batch, count - into.size());
      SocketChannel[] channels = new SocketChannel[n];
      BenchSocket[] sockets = new BenchSocket[n];
      for (int i = 0; i < n; i++) {
        channels[i] = SocketChannel.open();
        // No Nagle: a small frame must not wait for the server's delayed ACK.
        channels[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
        channels[i].connect(
            new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()));
        sockets[i] = new BenchSocket(channels[i], ByteBuffer.allocateDirect(bufferSize));
        sockets[i].writeRequest(url, extraHeaders);
      }
      for (BenchSocket socket : sockets) {
        socket.readResponse();
        socket.channel.configureBlocking(false);
        into.add(socket);
      }
    }
  }

  private void writeRequest(URI url, String extraHeaders) throws IOException {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    // A fixed key: the server's answer is checked only for its status, as a load tool may.
    String request = "GET " + path + " HTTP/1.1\r\n"
        + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n";
    ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private void readResponse() throws IOException {
    int headEnd = -1;
    while (headEnd < 0) {
      if (channel.read(in) < 0) {
        throw new IOException("connection closed during the handshake");
      }
      headEnd = indexOfBlankLine(in);
      if (headEnd < 0 && !in.hasRemaining()) {
        throw new IOException("handshake response too long");
      }
    }
    byte[] head = new byte[headEnd];
    in.flip();
    in.get(head);
    in.compact();
    String text = new String(head, StandardCharsets.US_ASCII);
    if (!text.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + text.lines().findFirst().orElse(""));
    }
    // Browsers leave context takeover to the server; most servers keep it (RFC 7692 7.1.1.1).
    String extensions = text.lines()
        .filter(line -> line.regionMatches(true, 0, "Sec-WebSocket-Extensions:", 0, 25))
        .findFirst().orElse("").toLowerCase(java.util.Locale.ROOT);
    serverKeepsContext = extensions.contains("permessage-deflate")
        && !extensions.contains("server_no_context_takeover");
  }

  /**
   * Whether permessage-deflate was agreed with the server keeping context: each message is then
   * compressed against what this connection was sent before, and must be inflated in order with
   * an inflater of this connection's own.
   */
  boolean serverKeepsContext() {
    return serverKeepsContext;
  }

  /** The index just past the blank line that ends an HTTP head, or -1. */
  private static int indexOfBlankLine(ByteBuffer buf) {
    for (int i = 3; i < buf.position(); i++) {
      if (buf.get(i) == '\n' && buf.get(i - 1) == '\r' && buf.get(i - 2) == '\n'
          && buf.get(i - 3) == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Joins {@code selector}; bytes read are parsed for {@code listener}. */
  void register(Selector selector, Listener listener, Object attachment) throws IOException {
    this.listener = listener;
    this.attachment = attachment;
    key = channel.register(selector, SelectionKey.OP_READ, this);
  }

  @SuppressWarnings("unchecked")
  <T> T attachment() {
    return (T) attachment;
  }

  /** Whether the message being read (or just ended) came with RSV1: permessage-deflate. */
  boolean messageCompressed() {
    return messageCompressed;
  }

  boolean isClosed() {
    return closed;
  }

  /** Queues bytes to send; call {@link #flush()} to write them. Sent buffers are not reused. */
  void queue(ByteBuffer frame) {
    out.add(frame);
  }

  /** Writes what the socket takes; what is left waits for the socket to become writable. */
  void flush() throws IOException {
    while (!out.isEmpty()) {
      int n = 0;
      for (ByteBuffer b : out) {
        gather[n++] = b;
        if (n == gather.length) {
          break;
        }
      }
      channel.write(gather, 0, n);
      while (!out.isEmpty() && !out.peekFirst().hasRemaining()) {
        out.pollFirst();
      }
      if (gather[n - 1].hasRemaining()) {
        break; // the socket is full
      }
    }
    java.util.Arrays.fill(gather, null);
    if (key != null && !closed) {
      key.interestOps(out.isEmpty() ? SelectionKey.OP_READ
          : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }
  }

  /** Handles a selected key: reads and parses, and writes what was waiting. */
  void onReady() throws IOException {
    if (key.isWritable()) {
      flush();
    }
    if (key.isReadable()) {
      read();
    }
  }

  /** Reads what is there and parses every whole piece of it; false at end of stream. */
  boolean read() throws IOException {
    int n = channel.read(in);
    if (n < 0) {
      close();
      return false;
    }
    in.flip();
    parse();
    in.compact();
    if (!out.isEmpty()) {
      flush();
    }
    return true;
  }

  private void parse() throws IOException {
    while (true) {
      if (remaining < 0) {
        if (!readHeader()) {
          return;
        }
        continue;
      }
      int n = (int) Math.min(remaining, in.remaining());
      if (n == 0 && remaining > 0) {
        return;
      }
      if (n > 0) {
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        remaining -= n;
        messageLength += n;
        listener.onPayload(this, slice);
      }
      if (remaining == 0) {
        remaining = -1;
        if (fin) {
          long length = messageLength;
          messageLength = 0;
          listener.onMessage(this, messageOpcode, length);
        }
      }
    }
  }

  /** Consumes one frame header if it is all there; control frames are taken whole. */
  private boolean readHeader() throws IOException {
    int start = in.position();
    if (in.remaining() < 2) {
      return false;
    }
    int b0 = in.get(start) & 0xFF;
    int b1 = in.get(start + 1) & 0xFF;
    if ((b1 & 0x80) != 0) {
      throw new IOException("the server sent a masked frame");
    }
    int len7 = b1 & 0x7F;
    int headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
    if (in.remaining() < headerLength) {
      return false;
    }
    long length = len7 == 126 ? in.getShort(start + 2) & 0xFFFF
        : len7 == 127 ? in.getLong(start + 2) : len7;
    int opcode = b0 & 0x0F;
    if (opcode >= 8) {
      if (in.remaining() < headerLength + length) {
        return false;
      }
      in.position(start + headerLength);
      ByteBuffer body = in.slice(in.position(), (int) length);
      in.position(in.position() + (int) length);
      onControl(opcode, body);
      return true;
    }
    in.position(start + headerLength);
    if (opcode != 0) {
      messageOpcode = opcode;
      messageCompressed = (b0 & 0x40) != 0;
    }
    fin = (b0 & 0x80) != 0;
    remaining = length;
    return true;
  }

  private void onControl(int opcode, ByteBuffer body) throws IOException {
    if (opcode == 0x9) {
      // Pong with the ping's payload, masked with a zero key, which leaves it as it is.
      ByteBuffer pong = ByteBuffer.allocate(6 + body.remaining());
      pong.put(PONG_HEADER[0]).put((byte) (PONG_HEADER[1] | body.remaining())).putInt(0);
      pong.put(body).flip();
      queue(pong);
    } else if (opcode == 0x8) {
      close();
    }
  }

  /**
   * Sends a close frame (1000) if the socket takes it now, and closes without waiting for the
   * answer: the measurement is over.
   */
  void closeGracefully() {
    if (closed) {
      return;
    }
    ByteBuffer close = ByteBuffer.wrap(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03,
        (byte) 0xE8});
    try {
      channel.write(close);
      channel.shutdownOutput();
    } catch (IOException e) {
      // Going anyway.
    }
    close();
  }

  void close() {
    closed = true;
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }
}
