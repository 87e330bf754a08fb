package io.reactivews.core.handshake;

import java.nio.charset.StandardCharsets;

/**
 * Character classes of HTTP/1.1 (RFC 9110 section 5.6) shared by the parser, the heads and the
 * handshakes, so that what we accept and what we write follow one set of rules.
 */
final class HttpSyntax {

  /** Longest piece of peer input repeated in an error message. */
  private static final int QUOTE_LIMIT = 64;

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private HttpSyntax() {}

  /** A character allowed in a token: a method, a header name, a subprotocol. */
  static boolean isTchar(int c) {
    return c >= 0 && c < 128 && TCHAR[c];
  }

  static boolean isToken(CharSequence s) {
    if (s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t';
  }

  /** A field-value character: visible ASCII, obs-text (0x80-0xFF), space or tab. */
  static boolean isValueChar(int c) {
    return c == '\t' || (c >= 0x20 && c != 0x7F && c <= 0xFF);
  }

  /** Visible ASCII, the characters of a request target. */
  static boolean isVisibleAscii(int c) {
    return c > 0x20 && c < 0x7F;
  }

  /** Checks a header name for writing. */
  static String checkName(String name) {
    if (name == null || !isToken(name)) {
      throw new IllegalArgumentException("header name is not a token: " + quote(name));
    }
    return name;
  }

  /**
   * Checks a header value for writing and drops the spaces around it, which are not part of it
   * (RFC 9110 section 5.5). CR, LF, NUL and the other controls are refused: letting them through
   * would let a value start a header or a body of its own.
   */
  static String checkValue(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException("null value for header " + name);
    }
    checkText(value, "value of header " + name);
    return trim(value);
  }

  /** Checks text written on a start line or in a value: no controls but tab, nothing past 0xFF. */
  static void checkText(String text, String what) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isValueChar(c)) {
        throw new IllegalArgumentException(what + " has a forbidden character "
            + describe(c) + " at " + i + ": " + quote(text));
      }
    }
  }

  /** Removes leading and trailing spaces and tabs. */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** "0x0D" for control and non-ASCII characters, 'c' for others. */
  static String describe(int c) {
    return c < 0x20 || c >= 0x7F ? String.format("0x%02X", c) : "'" + (char) c + "'";
  }

  /**
   * Peer input made safe to put in a message or log: quoted, controls escaped, and cut short,
   * since an attacker chooses it.
   */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), QUOTE_LIMIT) + 8).append('"');
    for (int i = 0; i < s.length() && i < QUOTE_LIMIT; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
        sb.append(String.format("\\x%02X", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
    if (s.length() > QUOTE_LIMIT) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** A head on the wire: the start line, the fields and the blank line, each ended by CRLF. */
  static byte[] head(String startLine, HttpHeaders headers) {
    StringBuilder sb = new StringBuilder(64 + headers.size() * 32);
    sb.append(startLine).append("\r\n");
    headers.appendTo(sb);
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
