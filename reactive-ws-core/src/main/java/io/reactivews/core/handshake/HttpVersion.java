package io.reactivews.core.handshake;

/**
 * The protocol version of an HTTP/1.x head: {@code HTTP/} digit {@code .} digit (RFC 9112
 * section 2.3). The name is case-sensitive, so {@code http/1.1} is not a version. Immutable.
 */
public final class HttpVersion implements Comparable<HttpVersion> {

  public static final HttpVersion HTTP_1_0 = new HttpVersion(1, 0);
  public static final HttpVersion HTTP_1_1 = new HttpVersion(1, 1);

  private final int major;
  private final int minor;

  private HttpVersion(int major, int minor) {
    this.major = major;
    this.minor = minor;
  }

  /**
   * A version of single digits.
   *
   * @throws IllegalArgumentException if either number is not 0-9
   */
  public static HttpVersion of(int major, int minor) {
    if (major < 0 || major > 9 || minor < 0 || minor > 9) {
      throw new IllegalArgumentException("HTTP versions are two digits: " + major + "." + minor);
    }
    if (major == 1) {
      return minor == 1 ? HTTP_1_1 : minor == 0 ? HTTP_1_0 : new HttpVersion(major, minor);
    }
    return new HttpVersion(major, minor);
  }

  /**
   * Parses {@code HTTP/1.1} and the like.
   *
   * @throws IllegalArgumentException if the text is not exactly {@code HTTP/}d{@code .}d
   */
  public static HttpVersion parse(String text) {
    if (text.length() != 8 || !text.startsWith("HTTP/") || text.charAt(6) != '.'
        || !isDigit(text.charAt(5)) || !isDigit(text.charAt(7))) {
      throw new IllegalArgumentException("not an HTTP version: " + HttpSyntax.quote(text));
    }
    return of(text.charAt(5) - '0', text.charAt(7) - '0');
  }

  public int major() {
    return major;
  }

  public int minor() {
    return minor;
  }

  /** Whether this version is {@code other} or later. */
  public boolean isAtLeast(HttpVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(HttpVersion other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpVersion other && other.major == major && other.minor == minor;
  }

  @Override
  public int hashCode() {
    return major * 10 + minor;
  }

  /** The wire form, {@code HTTP/1.1}. */
  @Override
  public String toString() {
    return "HTTP/" + major + "." + minor;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
