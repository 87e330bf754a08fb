package io.reactivews.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One WebSocket frame as raw wire fields (RFC 6455 section 5.2), valid or not: any FIN, RSV bits,
 * 4-bit opcode (reserved ones included), payload, length encoding and masking key. Used both for
 * what a hand-driven peer writes ({@link #encode}) and for what it reads back ({@link #read}), so
 * tests on either side of a socket see exactly what the code under test put on the wire. Written
 * apart from the codec under test, on purpose.
 *
 * <p>Immutable: each setter returns a copy. A frame to send is masked with its own key when it
 * has one; else with the key {@link #encode} is given, unless it was marked {@link #unmasked()}.
 * A frame read back carries the key it arrived with (none for a well-behaved server).
 *
 * <pre>{@code
 * WireFrame.text("fragment1").fin(false)        // first fragment
 * WireFrame.of(WireFrame.CONTINUATION, bytes)    // the rest
 * WireFrame.text("Hello").rsv(4)                // reserved bit set
 * WireFrame.of(5, new byte[0])                  // reserved opcode
 * WireFrame.binary(payload).lengthEncoding(WireFrame.Length.EXTENDED_64) // non-minimal length
 * }</pre>
 */
public final class WireFrame {

  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** How the payload length is written: the shortest form, or a chosen (maybe non-minimal) one. */
  public enum Length {
    MINIMAL,
    /** 7-bit length; only for payloads up to 125 bytes. */
    SHORT_7,
    /** 126 then a 16-bit length. */
    EXTENDED_16,
    /** 127 then a 64-bit length. */
    EXTENDED_64
  }

  /** Frames larger than this are not read: a peer gone wrong must not exhaust the heap. */
  private static final int MAX_PAYLOAD = 64 << 20;

  /** No key was chosen: {@link #encode} is given one. */
  private static final long NO_KEY = -1;
  /** The frame goes out with the mask bit clear. */
  private static final long UNMASKED = -2;

  private final boolean fin;
  private final int rsv;
  private final int opcode;
  private final byte[] payload;
  private final Length length;
  private final long maskKey;

  private WireFrame(boolean fin, int rsv, int opcode, byte[] payload, Length length, long maskKey) {
    this.fin = fin;
    this.rsv = rsv;
    this.opcode = opcode;
    this.payload = payload;
    this.length = length;
    this.maskKey = maskKey;
  }

  /** A final frame with this opcode (0-15) and a copy of {@code payload}. */
  public static WireFrame of(int opcode, byte[] payload) {
    if (opcode < 0 || opcode > 15) {
      throw new IllegalArgumentException("an opcode has 4 bits: " + opcode);
    }
    return new WireFrame(true, 0, opcode, payload.clone(), Length.MINIMAL, NO_KEY);
  }

  /** A final text frame holding the UTF-8 of {@code text}. */
  public static WireFrame text(String text) {
    return of(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A final text frame holding these bytes as they are (they need not be valid UTF-8). */
  public static WireFrame text(byte[] bytes) {
    return of(TEXT, bytes);
  }

  public static WireFrame binary(byte[] bytes) {
    return of(BINARY, bytes);
  }

  public static WireFrame continuation(String text) {
    return of(CONTINUATION, text.getBytes(StandardCharsets.UTF_8));
  }

  public static WireFrame continuation(byte[] bytes) {
    return of(CONTINUATION, bytes);
  }

  public static WireFrame ping(byte[] payload) {
    return of(PING, payload);
  }

  public static WireFrame pong(byte[] payload) {
    return of(PONG, payload);
  }

  /** A close frame with a 2-byte code and a UTF-8 reason. */
  public static WireFrame close(int code, String reason) {
    return close(code, reason.getBytes(StandardCharsets.UTF_8));
  }

  /** A close frame with a 2-byte code (any 16-bit value) and raw reason bytes. */
  public static WireFrame close(int code, byte[] reason) {
    byte[] body = new byte[2 + reason.length];
    body[0] = (byte) (code >> 8);
    body[1] = (byte) code;
    System.arraycopy(reason, 0, body, 2, reason.length);
    return of(CLOSE, body);
  }

  /**
   * Reads one frame, unmasking its payload.
   *
   * @throws EOFException if the stream ends before the frame does
   */
  public static WireFrame read(InputStream in) throws IOException {
    WireFrame frame = readOrNull(in);
    if (frame == null) {
      throw new EOFException("end of stream before a frame");
    }
    return frame;
  }

  /**
   * Reads one frame, or returns null when the stream ends cleanly before its first byte.
   *
   * @throws EOFException if the stream ends inside the frame
   * @throws IOException if the frame is larger than 64 MiB
   */
  public static WireFrame readOrNull(InputStream stream) throws IOException {
    DataInputStream in = stream instanceof DataInputStream data ? data
        : new DataInputStream(stream); // unbuffered: reads no byte past the frame
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if (length < 0 || length > MAX_PAYLOAD) {
      throw new IOException("frame of " + length + " bytes is beyond this reader's limit");
    }
    boolean masked = (b1 & 0x80) != 0;
    int key = masked ? in.readInt() : 0;
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    if (masked) {
      xor(payload, key);
    }
    return new WireFrame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, payload, Length.MINIMAL,
        masked ? key & 0xFFFFFFFFL : UNMASKED);
  }

  public WireFrame fin(boolean newFin) {
    return new WireFrame(newFin, rsv, opcode, payload, length, maskKey);
  }

  /** The three RSV bits as a number 0-7 (RSV1 is the highest, 4). */
  public WireFrame rsv(int bits) {
    if (bits < 0 || bits > 7) {
      throw new IllegalArgumentException("rsv has 3 bits: " + bits);
    }
    return new WireFrame(fin, bits, opcode, payload, length, maskKey);
  }

  public WireFrame lengthEncoding(Length newLength) {
    if (newLength == Length.SHORT_7 && payload.length > 125) {
      throw new IllegalArgumentException("a 7-bit length holds at most 125: " + payload.length);
    }
    if (newLength == Length.EXTENDED_16 && payload.length > 0xFFFF) {
      throw new IllegalArgumentException("a 16-bit length holds at most 65535: " + payload.length);
    }
    return new WireFrame(fin, rsv, opcode, payload, Objects.requireNonNull(newLength), maskKey);
  }

  /** Masks with this key instead of the one {@link #encode} is given. */
  public WireFrame maskedWith(int key) {
    return new WireFrame(fin, rsv, opcode, payload, length, key & 0xFFFFFFFFL);
  }

  /** Goes out with the mask bit clear, which a server must reject (section 5.1). */
  public WireFrame unmasked() {
    return new WireFrame(fin, rsv, opcode, payload, length, UNMASKED);
  }

  public boolean fin() {
    return fin;
  }

  public int rsv() {
    return rsv;
  }

  public int opcode() {
    return opcode;
  }

  public boolean isControl() {
    return (opcode & 0x8) != 0;
  }

  /** A copy of the payload, unmasked. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload decoded as UTF-8. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  public int payloadLength() {
    return payload.length;
  }

  /** Whether the frame was (or will be) sent with the mask bit set. */
  public boolean isMasked() {
    return maskKey != UNMASKED;
  }

  /** The close code of a close frame, or -1 when its body is shorter than 2 bytes. */
  public int closeCode() {
    requireClose();
    return payload.length < 2 ? -1 : (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
  }

  /** The reason bytes of a close frame (empty when none). */
  public byte[] closeReason() {
    requireClose();
    return payload.length <= 2 ? new byte[0] : Arrays.copyOfRange(payload, 2, payload.length);
  }

  private void requireClose() {
    if (opcode != CLOSE) {
      throw new IllegalStateException("not a close frame: " + this);
    }
  }

  /** The wire bytes, masked with {@code defaultKey} unless the frame chose a key or no mask. */
  public byte[] encode(int defaultKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
    boolean masked = maskKey != UNMASKED;
    int maskBit = masked ? 0x80 : 0;
    Length form = length != Length.MINIMAL ? length
        : payload.length <= 125 ? Length.SHORT_7
        : payload.length <= 0xFFFF ? Length.EXTENDED_16 : Length.EXTENDED_64;
    switch (form) {
      case SHORT_7 -> out.write(maskBit | payload.length);
      case EXTENDED_16 -> {
        out.write(maskBit | 126);
        out.write(payload.length >> 8);
        out.write(payload.length);
      }
      default -> {
        out.write(maskBit | 127);
        long n = payload.length;
        for (int shift = 56; shift >= 0; shift -= 8) {
          out.write((int) (n >> shift));
        }
      }
    }
    if (!masked) {
      out.writeBytes(payload);
      return out.toByteArray();
    }
    int key = maskKey == NO_KEY ? defaultKey : (int) maskKey;
    out.writeBytes(new byte[] {(byte) (key >> 24), (byte) (key >> 16), (byte) (key >> 8),
        (byte) key});
    byte[] body = payload.clone();
    xor(body, key);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** Masks or unmasks in place (section 5.3): byte i is XORed with byte i mod 4 of the key. */
  private static void xor(byte[] bytes, int key) {
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] ^= (byte) (key >> (24 - 8 * (i & 3)));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WireFrame f && f.fin == fin && f.rsv == rsv && f.opcode == opcode
        && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fin, rsv, opcode, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    String body = payload.length <= 32 ? HexFormat.of().formatHex(payload)
        : HexFormat.of().formatHex(payload, 0, 32) + "... (" + payload.length + " bytes)";
    return "WireFrame[" + (fin ? "FIN " : "") + (rsv != 0 ? "rsv=" + rsv + " " : "")
        + "op=" + opcode + (isMasked() ? " masked" : "") + " " + body + "]";
  }
}
