package io.reactivews.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * One WebSocket frame as raw wire fields (RFC 6455 section 5.2), valid or not: any FIN, RSV bits
 * and 4-bit opcode, either mask bit, any length encoding (a non-minimal 16- or 64-bit length, a
 * 64-bit length with the top bit set) and a declared length that differs from the payload that
 * follows. It writes what a hand-driven peer sends ({@link #bytes()}) and reads back what the code
 * under test sent ({@link #read}), so tests on either side of a socket see the exact wire.
 *
 * <p>Written apart from the main codec, on purpose: masking here is byte by byte, so a test that
 * compares the codec with these bytes compares two implementations. Immutable: every setter
 * returns a copy. A built frame has no masking key until {@link #masked(int)} or
 * {@link #unmasked()} chooses: {@link #bytes()} then writes it unmasked, as a server would, and
 * {@link #bytes(int)} masks it with the key it is given, as a client would. A frame read back
 * carries the key it arrived with (none for a well-behaved server).
 *
 * <pre>{@code
 * byte[] wire = RawFrame.text("Hello").masked(0x37fa213d).bytes();
 * // 81 85 37 fa 21 3d 7f 9f 4d 51 58 (RFC 6455 section 5.7)
 * byte[] lie = RawFrame.binary(new byte[0]).lengthEncoding(Length.BITS_64).declaredLength(-1L)
 *     .bytes();
 * // 82 7f ff ff ff ff ff ff ff ff: a 64-bit length with the top bit set, and no payload
 * RawFrame echo = RawFrame.read(socket.getInputStream());
 * }</pre>
 */
public final class RawFrame {

  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** The key of the RFC 6455 section 5.7 examples, used by {@link #masked()}. */
  public static final int DEFAULT_KEY = 0x37fa213d;

  /** How the payload length is written. */
  public enum Length {
    /** The shortest form, as the RFC requires of senders. */
    MINIMAL,
    /** 7 bits; only lengths up to 125 fit. */
    BITS_7,
    /** 126 and then 16 bits. */
    BITS_16,
    /** 127 and then 64 bits. */
    BITS_64
  }

  /** Frames larger than this are not read: a peer gone wrong must not exhaust the heap. */
  private static final int MAX_PAYLOAD = 64 << 20;

  /** No key was chosen: {@link #bytes()} leaves the frame unmasked, {@link #bytes(int)} masks. */
  private static final long NO_KEY = -1;
  /** The frame goes out with the mask bit clear. */
  private static final long UNMASKED = -2;

  private final boolean fin;
  private final int rsv;
  private final int opcode;
  private final byte[] payload;
  private final Length length;
  private final Long declaredLength;
  private final long maskKey;

  private RawFrame(boolean fin, int rsv, int opcode, byte[] payload, Length length,
      Long declaredLength, long maskKey) {
    long declared = declaredLength != null ? declaredLength : payload.length;
    if (length != Length.MINIMAL && formFor(declared).compareTo(length) > 0) {
      throw new IllegalArgumentException(
          "a length of " + Long.toUnsignedString(declared) + " does not fit " + length);
    }
    this.fin = fin;
    this.rsv = rsv;
    this.opcode = opcode;
    this.payload = payload;
    this.length = length;
    this.declaredLength = declaredLength;
    this.maskKey = maskKey;
  }

  /** A final frame with the raw 4-bit {@code opcode}, reserved ones included. */
  public static RawFrame of(int opcode, byte[] payload) {
    if (opcode < 0 || opcode > 15) {
      throw new IllegalArgumentException("opcode must be 0-15: " + opcode);
    }
    return new RawFrame(true, 0, opcode, payload.clone(), Length.MINIMAL, null, NO_KEY);
  }

  /** A final text frame carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame text(String text) {
    return of(TEXT, Bytes.utf8(text));
  }

  /** A final text frame holding these bytes as they are (they need not be valid UTF-8). */
  public static RawFrame text(byte[] bytes) {
    return of(TEXT, bytes);
  }

  public static RawFrame binary(byte[] payload) {
    return of(BINARY, payload);
  }

  /** A final continuation frame carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame continuation(String text) {
    return of(CONTINUATION, Bytes.utf8(text));
  }

  public static RawFrame continuation(byte[] payload) {
    return of(CONTINUATION, payload);
  }

  /** A ping carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame ping(String text) {
    return of(PING, Bytes.utf8(text));
  }

  public static RawFrame ping(byte[] payload) {
    return of(PING, payload);
  }

  /** A pong carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame pong(String text) {
    return of(PONG, Bytes.utf8(text));
  }

  public static RawFrame pong(byte[] payload) {
    return of(PONG, payload);
  }

  /** A close frame with a 2-byte code and a UTF-8 reason (section 5.5.1). */
  public static RawFrame close(int code, String reason) {
    return close(code, Bytes.utf8(reason));
  }

  /** A close frame with a 2-byte code (any 16-bit value) and raw reason bytes. */
  public static RawFrame close(int code, byte[] reason) {
    return of(CLOSE, Bytes.concat(new byte[] {(byte) (code >> 8), (byte) code}, reason));
  }

  /**
   * Reads one frame, unmasking its payload.
   *
   * @throws EOFException if the stream ends before the frame does
   */
  public static RawFrame read(InputStream in) throws IOException {
    RawFrame frame = readOrNull(in);
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
  public static RawFrame readOrNull(InputStream stream) throws IOException {
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
    xor(payload, masked, key);
    return new RawFrame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, payload, Length.MINIMAL,
        null, masked ? key & 0xFFFFFFFFL : UNMASKED);
  }

  public RawFrame fin(boolean newFin) {
    return new RawFrame(newFin, rsv, opcode, payload, length, declaredLength, maskKey);
  }

  /** The three reserved bits as a number: RSV1 is 4, RSV2 is 2, RSV3 is 1. */
  public RawFrame rsv(int bits) {
    if (bits < 0 || bits > 7) {
      throw new IllegalArgumentException("rsv must be 0-7: " + bits);
    }
    return new RawFrame(fin, bits, opcode, payload, length, declaredLength, maskKey);
  }

  /** Masked with {@link #DEFAULT_KEY}. */
  public RawFrame masked() {
    return masked(DEFAULT_KEY);
  }

  /** Masked with {@code key} by either {@code bytes} method; its high byte masks byte 0. */
  public RawFrame masked(int key) {
    return new RawFrame(fin, rsv, opcode, payload, length, declaredLength, key & 0xFFFFFFFFL);
  }

  /** Goes out with the mask bit clear, which a server must reject (section 5.1). */
  public RawFrame unmasked() {
    return new RawFrame(fin, rsv, opcode, payload, length, declaredLength, UNMASKED);
  }

  public RawFrame payload(byte[] newPayload) {
    return new RawFrame(fin, rsv, opcode, newPayload.clone(), length, declaredLength, maskKey);
  }

  /**
   * Writes the length in {@code form}, minimal or not.
   *
   * @throws IllegalArgumentException if the (declared) length does not fit {@code form}
   */
  public RawFrame lengthEncoding(Length form) {
    Objects.requireNonNull(form, "form");
    return new RawFrame(fin, rsv, opcode, payload, form, declaredLength, maskKey);
  }

  /**
   * Writes {@code bytes} as the payload length whatever the payload is; written as an unsigned
   * 64-bit number, so {@code -1L} sets every bit of a 64-bit length.
   */
  public RawFrame declaredLength(long bytes) {
    return new RawFrame(fin, rsv, opcode, payload, length, bytes, maskKey);
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

  /** Whether the frame has a masking key: it arrived with one, or {@link #masked} chose one. */
  public boolean isMasked() {
    return maskKey >= 0;
  }

  /** The masking key; only for a frame that {@link #isMasked()}. */
  public int key() {
    if (!isMasked()) {
      throw new IllegalStateException("no masking key: " + this);
    }
    return (int) maskKey;
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

  /** The header bytes: first byte, length, and masking key when masked. */
  public byte[] header() {
    return header(isMasked(), (int) maskKey);
  }

  /** The payload as it goes on the wire: masked byte by byte when the frame is masked. */
  public byte[] wirePayload() {
    byte[] out = payload.clone();
    xor(out, isMasked(), (int) maskKey);
    return out;
  }

  /** The whole frame: header, then the payload, masked only when {@link #masked} chose a key. */
  public byte[] bytes() {
    return Bytes.concat(header(), wirePayload());
  }

  /** The whole frame as a client writes it: masked with {@code defaultKey} unless it chose. */
  public byte[] bytes(int defaultKey) {
    return maskKey == NO_KEY ? masked(defaultKey).bytes() : bytes();
  }

  /** The whole frame as spaced hex. */
  public String hex() {
    return Bytes.toHex(bytes());
  }

  /** The frames' bytes one after another, as a peer might write them in one go. */
  public static byte[] concat(RawFrame... frames) {
    byte[][] parts = new byte[frames.length][];
    for (int i = 0; i < frames.length; i++) {
      parts[i] = frames[i].bytes();
    }
    return Bytes.concat(parts);
  }

  /** Masking keys from a seeded generator: the same seed gives the same keys in every run. */
  public static IntSupplier keys(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return random::nextInt;
  }

  private byte[] header(boolean masked, int key) {
    long declared = declaredLength != null ? declaredLength : payload.length;
    byte[] out = new byte[14];
    int n = 0;
    out[n++] = (byte) ((fin ? 0x80 : 0) | rsv << 4 | opcode);
    int maskBit = masked ? 0x80 : 0;
    switch (length == Length.MINIMAL ? formFor(declared) : length) {
      case BITS_7 -> out[n++] = (byte) (maskBit | declared);
      case BITS_16 -> {
        out[n++] = (byte) (maskBit | 126);
        out[n++] = (byte) (declared >>> 8);
        out[n++] = (byte) declared;
      }
      default -> {
        out[n++] = (byte) (maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
          out[n++] = (byte) (declared >>> shift);
        }
      }
    }
    if (masked) {
      for (int shift = 24; shift >= 0; shift -= 8) {
        out[n++] = (byte) (key >>> shift);
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The shortest form that holds {@code declared}, read as an unsigned number. */
  private static Length formFor(long declared) {
    return declared >= 0 && declared <= 125 ? Length.BITS_7
        : declared >= 0 && declared <= 0xFFFF ? Length.BITS_16 : Length.BITS_64;
  }

  /** Masks or unmasks in place (section 5.3): byte i is XORed with byte i mod 4 of the key. */
  private static void xor(byte[] bytes, boolean masked, int key) {
    if (!masked) {
      return;
    }
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
    }
  }

  /**
   * Equal when FIN, RSV, opcode and payload are: masking and the length's encoding are how a
   * frame travels, not what it says, so a frame sent and the same frame read back are equal.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof RawFrame f && f.fin == fin && f.rsv == rsv && f.opcode == opcode
        && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fin, rsv, opcode, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "RawFrame[" + (fin ? "FIN " : "") + (rsv != 0 ? "rsv=" + rsv + " " : "")
        + "op=" + opcode + (isMasked() ? " key=" + Integer.toHexString((int) maskKey) : "")
        + (length != Length.MINIMAL ? " " + length : "")
        + (declaredLength != null ? " declared=" + Long.toUnsignedString(declaredLength) : "")
        + (payload.length > 0 ? " " + Bytes.toHex(payload) : " (empty)") + "]";
  }
}
