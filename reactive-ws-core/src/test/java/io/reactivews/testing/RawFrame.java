package io.reactivews.testing;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * Builds the bytes of a frame as a peer would put them on the wire (RFC 6455 section 5.2),
 * including frames no correct peer sends: any FIN, RSV bits and 4-bit opcode, either mask bit,
 * any length encoding (a non-minimal 16- or 64-bit length, a 64-bit length with the top bit set)
 * and a declared length that differs from the payload that follows.
 *
 * <p>Written independently of the main codec: masking here is byte by byte, so a test that
 * compares the codec with these bytes compares two implementations. Immutable: every setter
 * returns a copy.
 *
 * <pre>{@code
 * byte[] wire = RawFrame.text("Hello").masked(0x37fa213d).bytes();
 * // 81 85 37 fa 21 3d 7f 9f 4d 51 58 (RFC 6455 section 5.7)
 * byte[] lie = RawFrame.binary(new byte[0]).length(Length.BITS_64).declaredLength(-1L).bytes();
 * // 82 7f ff ff ff ff ff ff ff ff: a 64-bit length with the top bit set, and no payload
 * }</pre>
 */
public final class RawFrame {

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

  private final boolean fin;
  private final int rsv;
  private final int opcode;
  private final boolean masked;
  private final int key;
  private final byte[] payload;
  private final Length length;
  private final Long declaredLength;

  private RawFrame(
      boolean fin,
      int rsv,
      int opcode,
      boolean masked,
      int key,
      byte[] payload,
      Length length,
      Long declaredLength) {
    this.fin = fin;
    this.rsv = rsv;
    this.opcode = opcode;
    this.masked = masked;
    this.key = key;
    this.payload = payload;
    this.length = length;
    this.declaredLength = declaredLength;
  }

  /** A final, unmasked frame with the raw 4-bit {@code opcode}, reserved ones included. */
  public static RawFrame of(int opcode, byte[] payload) {
    if (opcode < 0 || opcode > 15) {
      throw new IllegalArgumentException("opcode must be 0-15: " + opcode);
    }
    return new RawFrame(true, 0, opcode, false, 0, payload.clone(), Length.MINIMAL, null);
  }

  /** A final, unmasked text frame carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame text(String text) {
    return of(0x1, Bytes.utf8(text));
  }

  /** A final, unmasked binary frame. */
  public static RawFrame binary(byte[] payload) {
    return of(0x2, payload);
  }

  /** A final, unmasked continuation frame. */
  public static RawFrame continuation(byte[] payload) {
    return of(0x0, payload);
  }

  /** A final, unmasked continuation frame carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame continuation(String text) {
    return of(0x0, Bytes.utf8(text));
  }

  /** An unmasked close frame with a code and reason (section 5.5.1). */
  public static RawFrame close(int code, String reason) {
    return of(0x8, Bytes.concat(new byte[] {(byte) (code >> 8), (byte) code}, Bytes.utf8(reason)));
  }

  /** An unmasked ping carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame ping(String text) {
    return of(0x9, Bytes.utf8(text));
  }

  /** An unmasked pong carrying the UTF-8 bytes of {@code text}. */
  public static RawFrame pong(String text) {
    return of(0xA, Bytes.utf8(text));
  }

  public RawFrame fin(boolean newFin) {
    return new RawFrame(newFin, rsv, opcode, masked, key, payload, length, declaredLength);
  }

  /** The three reserved bits as a number: RSV1 is 4, RSV2 is 2, RSV3 is 1. */
  public RawFrame rsv(int bits) {
    if (bits < 0 || bits > 7) {
      throw new IllegalArgumentException("rsv must be 0-7: " + bits);
    }
    return new RawFrame(fin, bits, opcode, masked, key, payload, length, declaredLength);
  }

  /** Masked with {@link #DEFAULT_KEY}. */
  public RawFrame masked() {
    return masked(DEFAULT_KEY);
  }

  /** Masked with {@code newKey}; its high byte masks payload byte 0. */
  public RawFrame masked(int newKey) {
    return new RawFrame(fin, rsv, opcode, true, newKey, payload, length, declaredLength);
  }

  public RawFrame unmasked() {
    return new RawFrame(fin, rsv, opcode, false, 0, payload, length, declaredLength);
  }

  public RawFrame payload(byte[] newPayload) {
    return new RawFrame(fin, rsv, opcode, masked, key, newPayload.clone(), length, declaredLength);
  }

  /** Writes the length in {@code form}, minimal or not. */
  public RawFrame length(Length form) {
    Objects.requireNonNull(form, "form");
    return new RawFrame(fin, rsv, opcode, masked, key, payload, form, declaredLength);
  }

  /**
   * Writes {@code bytes} as the payload length whatever the payload is; written as an unsigned
   * 64-bit number, so {@code -1L} sets every bit of a 64-bit length.
   */
  public RawFrame declaredLength(long bytes) {
    return new RawFrame(fin, rsv, opcode, masked, key, payload, length, bytes);
  }

  /** The payload before masking. */
  public byte[] payload() {
    return payload.clone();
  }

  public int key() {
    return key;
  }

  /** The header bytes: first byte, length, and masking key when masked. */
  public byte[] header() {
    long declared = declaredLength != null ? declaredLength : payload.length;
    Length form = length;
    if (form == Length.MINIMAL) {
      form = declared >= 0 && declared <= 125 ? Length.BITS_7
          : declared >= 0 && declared <= 0xFFFF ? Length.BITS_16 : Length.BITS_64;
    }
    byte[] out = new byte[14];
    int n = 0;
    out[n++] = (byte) ((fin ? 0x80 : 0) | rsv << 4 | opcode);
    int maskBit = masked ? 0x80 : 0;
    switch (form) {
      case BITS_7 -> {
        if (declared < 0 || declared > 125) {
          throw new IllegalStateException(declared + " does not fit 7 bits");
        }
        out[n++] = (byte) (maskBit | declared);
      }
      case BITS_16 -> {
        if (declared < 0 || declared > 0xFFFF) {
          throw new IllegalStateException(declared + " does not fit 16 bits");
        }
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
    return java.util.Arrays.copyOf(out, n);
  }

  /** The payload as it goes on the wire: masked byte by byte when the frame is masked. */
  public byte[] wirePayload() {
    byte[] out = payload.clone();
    if (masked) {
      for (int i = 0; i < out.length; i++) {
        out[i] ^= (byte) (key >>> (24 - 8 * (i % 4)));
      }
    }
    return out;
  }

  /** The whole frame: header, then the (masked) payload. */
  public byte[] bytes() {
    return Bytes.concat(header(), wirePayload());
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

  @Override
  public String toString() {
    return "RawFrame[" + hex() + "]";
  }
}
