package io.reactivews.core.json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Short, single-line views of untrusted text for error messages: a message may be megabytes long
 * and may hold line breaks meant to forge log lines, so what reaches a log is bounded and escaped.
 * Public for the other modules' protocols over JSON (Socket.IO's packets, for one).
 *
 * <pre>{@code
 * throw new IOException("not JSON: " + Excerpts.quoted(untrusted)); // bounded, on one line
 * }</pre>
 */
public final class Excerpts {

  /** Bytes of payload shown around an error. */
  static final int WIDTH = 64;

  /** Characters of a parser's own complaint kept in our message. */
  static final int PROBLEM_WIDTH = 160;

  private static final String ELLIPSIS = "…";

  private Excerpts() {}

  /**
   * Up to {@link #WIDTH} bytes of {@code payload} around {@code offset} (a byte index, or -1 when
   * unknown, which shows the start), cut on character boundaries and escaped.
   */
  static String around(ByteBuffer payload, long offset) {
    ByteBuffer bytes = payload.duplicate();
    int size = bytes.remaining();
    int base = bytes.position();
    int start = 0;
    int end = size;
    if (size > WIDTH) {
      // Most of the window before the error: that is where the reader went wrong.
      long wanted = offset < 0 ? 0 : offset - (WIDTH * 2 / 3);
      start = (int) Math.max(0, Math.min(wanted, size - WIDTH));
      end = start + WIDTH;
      while (start < end && isContinuation(bytes.get(base + start))) {
        start++;
      }
      while (end > start && end < size && isContinuation(bytes.get(base + end))) {
        end--;
      }
    }
    byte[] window = new byte[end - start];
    bytes.position(base + start);
    bytes.get(window);
    String text = escape(new String(window, StandardCharsets.UTF_8));
    return (start > 0 ? ELLIPSIS : "") + text + (end < size ? ELLIPSIS : "");
  }

  /** The first {@link #WIDTH} characters of {@code text}, escaped and in double quotes. */
  public static String quoted(String text) {
    return '"' + truncate(text, WIDTH) + '"';
  }

  /** The first {@code max} characters of {@code text}, escaped, marked when cut. */
  public static String truncate(String text, int max) {
    boolean cut = text.length() > max;
    String head = cut ? text.substring(0, safeCut(text, max)) : text;
    return escape(head) + (cut ? ELLIPSIS : "");
  }

  /** Line breaks and other control characters made visible, so an excerpt stays on one line. */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacementFor(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String replacementFor(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      default:
        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
          return String.format("\\u%04x", (int) c);
        }
        return null;
    }
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** {@code index}, moved back off the low half of a surrogate pair. */
  private static int safeCut(String text, int index) {
    if (index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index))) {
      return index - 1;
    }
    return index;
  }
}
