package io.reactivews.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Byte-array helpers for literal fixtures: hex in, hex out, concatenation and deterministic
 * payloads. Stateless.
 *
 * <pre>{@code
 * byte[] hello = Bytes.hex("81 05 48 65 6c 6c 6f");   // RFC 6455 section 5.7, unmasked "Hello"
 * assertEquals("81 05 48 65 6c 6c 6f", Bytes.toHex(hello));
 * }</pre>
 */
public final class Bytes {

  private static final HexFormat SPACED = HexFormat.ofDelimiter(" ");

  private Bytes() {}

  /**
   * The bytes spelled by {@code hex}: pairs of hex digits, with any whitespace, {@code |} or
   * {@code _} between them ignored so fixtures can be laid out by field.
   */
  public static byte[] hex(String hex) {
    String digits = hex.replaceAll("[\\s|_]", "").toLowerCase(Locale.ROOT);
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits in \"" + hex + "\"");
    }
    return HexFormat.of().parseHex(digits);
  }

  /** Lower-case hex with a space between bytes; long arrays are cut short with their length. */
  public static String toHex(byte[] bytes) {
    if (bytes.length > 64) {
      return SPACED.formatHex(bytes, 0, 64) + " ... (" + bytes.length + " bytes)";
    }
    return SPACED.formatHex(bytes);
  }

  /** The UTF-8 bytes of {@code text}. */
  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The arrays one after another in a new array. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * {@code length} bytes that differ from their neighbours and never repeat with a period of 4,
   * 8 or 256, so a masking or offset mistake shows up as a wrong byte.
   */
  public static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 8) * 7 + 5);
    }
    return bytes;
  }
}
