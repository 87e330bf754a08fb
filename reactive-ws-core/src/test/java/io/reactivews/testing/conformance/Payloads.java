package io.reactivews.testing.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Payload fixtures shared by the case lists. */
public final class Payloads {

  /** The binary payload the suite uses for small binary messages and pings. */
  public static final byte[] SMALL_BINARY = hex("00ff fefd fcfb 00ff");

  /** "κόσμε" in UTF-8: ce ba | e1 bd b9 | cf 83 | ce bc | ce b5. */
  public static final byte[] KOSME = hex("ceba e1bdb9 cf83 cebc ceb5");

  private Payloads() {}

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code n} copies of the byte {@code b}. */
  public static byte[] filled(int n, int b) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) b);
    return bytes;
  }

  /** {@code n} asterisks, the suite's text payload. */
  public static String stars(int n) {
    return "*".repeat(n);
  }

  /** Bytes from hex, spaces ignored. */
  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  public static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
