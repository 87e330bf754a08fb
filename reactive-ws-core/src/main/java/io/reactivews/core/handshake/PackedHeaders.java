package io.reactivews.core.handshake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Header fields packed into one byte array, for headers a connection keeps for its whole life
 * and hardly reads (a session's handshake): about a fifth of the memory of separate strings.
 *
 * <p>The form: names and values in order, each followed by {@code '\n'} but the last, one byte
 * per character (names are tokens and values hold nothing past 0xFF, see {@link HttpSyntax}). A
 * name or value spelled exactly like an entry of {@link #COMMON} (the names and values of a
 * WebSocket upgrade request) is written as one control byte, its code; neither a name nor a
 * value can be a control byte of its own, so a code is never mistaken for text, and text is
 * unpacked with the spelling it had.
 */
final class PackedHeaders {

  private static final byte SEPARATOR = '\n';

  /** What a WebSocket upgrade request and a browser usually send, names and values. */
  private static final List<String> COMMON = List.of(
      "Host", "Upgrade", "websocket", "Connection", "Sec-WebSocket-Key",
      "Sec-WebSocket-Version", "13", "Origin", "Sec-WebSocket-Extensions",
      "permessage-deflate; client_max_window_bits", "Sec-WebSocket-Protocol", "User-Agent",
      "Accept-Encoding", "gzip, deflate, br", "Accept-Language", "Cache-Control", "no-cache",
      "Pragma", "Cookie", "Authorization", "keep-alive, Upgrade", "upgrade", "Accept", "*/*");

  /** The codes, control bytes that no name or value can be: 0x01-0x08 and 0x0B-0x1F. */
  private static final byte[] CODES = new byte[COMMON.size()];
  /** For each byte below 0x20, the entry it stands for, or -1. */
  private static final int[] ENTRY = new int[0x20];

  static {
    java.util.Arrays.fill(ENTRY, -1);
    int code = 1;
    for (int i = 0; i < COMMON.size(); i++) {
      if (code == '\t') {
        code = 0x0B; // a tab may be a value; '\n' is the separator
      }
      CODES[i] = (byte) code;
      ENTRY[code] = i;
      code++;
    }
    if (code > 0x20) {
      throw new AssertionError("more common entries than control bytes");
    }
  }

  private PackedHeaders() {}

  /** Names and values (as many of each) in the packed form. */
  static byte[] pack(String[] names, String[] values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * names.length);
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        out.write(SEPARATOR);
      }
      write(names[i], out);
      out.write(SEPARATOR);
      write(values[i], out);
    }
    return out.toByteArray();
  }

  private static void write(String text, ByteArrayOutputStream out) {
    int entry = COMMON.indexOf(text);
    if (entry >= 0) {
      out.write(CODES[entry]);
    } else {
      out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  /** How many fields {@code packed} holds. */
  static int size(byte[] packed) {
    int parts = 1;
    for (byte b : packed) {
      if (b == SEPARATOR) {
        parts++;
      }
    }
    return parts / 2;
  }

  /** Unpacks into {@code names} and {@code values}, each {@link #size} long. */
  static void unpack(byte[] packed, String[] names, String[] values) {
    int start = 0;
    for (int part = 0; start <= packed.length; part++) {
      int end = start;
      while (end < packed.length && packed[end] != SEPARATOR) {
        end++;
      }
      String text = read(packed, start, end);
      if (part % 2 == 0) {
        names[part / 2] = text;
      } else {
        values[part / 2] = text;
      }
      start = end + 1;
    }
  }

  private static String read(byte[] packed, int start, int end) {
    if (end - start == 1 && packed[start] >= 0 && packed[start] < 0x20) {
      int entry = ENTRY[packed[start]];
      if (entry >= 0) {
        return COMMON.get(entry);
      }
    }
    return new String(packed, start, end - start, StandardCharsets.ISO_8859_1);
  }
}
