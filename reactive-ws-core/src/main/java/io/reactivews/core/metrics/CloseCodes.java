package io.reactivews.core.metrics;

/**
 * A close code as a tag value with a bounded number of values: the peer chooses the code, and a
 * tag per value it can send (3000-4999 are open to applications) would let it make thousands of
 * time series. Codes below 3000 are kept as they are; the application ranges become {@code 3xxx}
 * and {@code 4xxx}.
 */
public final class CloseCodes {

  private static final String[] LOW = new String[1016];

  static {
    for (int code = 1000; code < 1016; code++) {
      LOW[code] = Integer.toString(code);
    }
  }

  private CloseCodes() {}

  /** The tag value for {@code code}, without building a string for the usual codes. */
  public static String tag(int code) {
    if (code >= 1000 && code < 1016) {
      return LOW[code];
    }
    if (code >= 3000 && code < 4000) {
      return "3xxx";
    }
    if (code >= 4000 && code < 5000) {
      return "4xxx";
    }
    return code >= 1000 && code < 3000 ? Integer.toString(code) : "other";
  }
}
