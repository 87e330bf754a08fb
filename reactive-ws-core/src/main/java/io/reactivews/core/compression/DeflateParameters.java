package io.reactivews.core.compression;

import io.reactivews.core.handshake.WebSocketExtension;

/**
 * The four parameters of a permessage-deflate offer or agreement (RFC 7692 section 7.1), read
 * strictly: an unknown or repeated parameter, a value where none belongs, or a window size that
 * is not a plain decimal 8 to 15 makes {@link #parse} throw with the reason.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message
 * @param serverMaxWindowBits the server's LZ77 window, 8-15; {@link #ABSENT} when not given
 * @param clientMaxWindowBits the client's LZ77 window, 8-15; {@link #ABSENT} when not given,
 *     {@link #NO_VALUE} when given without a value (an offer saying the client supports it)
 */
public record DeflateParameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
    int serverMaxWindowBits, int clientMaxWindowBits) {

  /** The extension's registered name. */
  public static final String NAME = "permessage-deflate";

  /** A window parameter that was not given. */
  public static final int ABSENT = -1;

  /** {@code client_max_window_bits} given without a value. */
  public static final int NO_VALUE = 0;

  /** The largest, and the JDK's only, LZ77 window. */
  public static final int MAX_WINDOW_BITS = 15;

  public static final String SERVER_NO_CONTEXT = "server_no_context_takeover";
  public static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";
  public static final String SERVER_BITS = "server_max_window_bits";
  public static final String CLIENT_BITS = "client_max_window_bits";

  /**
   * Reads the parameters of one {@code permessage-deflate} element.
   *
   * @throws IllegalArgumentException saying which rule of section 7.1 the element breaks
   */
  public static DeflateParameters parse(WebSocketExtension element) {
    if (!element.name().equalsIgnoreCase(NAME)) {
      throw new IllegalArgumentException("not " + NAME + ": " + element.name());
    }
    boolean serverNoContext = false;
    boolean clientNoContext = false;
    int serverBits = ABSENT;
    int clientBits = ABSENT;
    boolean seenServerNoContext = false;
    boolean seenClientNoContext = false;
    for (WebSocketExtension.Parameter p : element.parameters()) {
      String name = p.name().toLowerCase(java.util.Locale.ROOT);
      switch (name) {
        case SERVER_NO_CONTEXT -> {
          noValue(p);
          once(seenServerNoContext, p);
          seenServerNoContext = true;
          serverNoContext = true;
        }
        case CLIENT_NO_CONTEXT -> {
          noValue(p);
          once(seenClientNoContext, p);
          seenClientNoContext = true;
          clientNoContext = true;
        }
        case SERVER_BITS -> {
          once(serverBits != ABSENT, p);
          if (p.value() == null) {
            throw new IllegalArgumentException(SERVER_BITS + " needs a value");
          }
          serverBits = windowBits(p);
        }
        case CLIENT_BITS -> {
          once(clientBits != ABSENT, p);
          clientBits = p.value() == null ? NO_VALUE : windowBits(p);
        }
        default -> throw new IllegalArgumentException("unknown parameter " + p.name());
      }
    }
    return new DeflateParameters(serverNoContext, clientNoContext, serverBits, clientBits);
  }

  private static void noValue(WebSocketExtension.Parameter p) {
    if (p.value() != null) {
      throw new IllegalArgumentException(p.name() + " takes no value: " + p);
    }
  }

  private static void once(boolean seen, WebSocketExtension.Parameter p) {
    if (seen) {
      throw new IllegalArgumentException("repeated parameter " + p.name());
    }
  }

  /** A decimal 8 to 15 without leading zeros (section 7.1.2.1). */
  private static int windowBits(WebSocketExtension.Parameter p) {
    String v = p.value();
    if (!v.matches("[89]|1[0-5]")) {
      throw new IllegalArgumentException(p.name() + " must be 8 to 15: " + p);
    }
    return Integer.parseInt(v);
  }

  /** The server's window as agreed: 15 unless limited. */
  public int serverWindow() {
    return serverMaxWindowBits > 0 ? serverMaxWindowBits : MAX_WINDOW_BITS;
  }

  /** The client's window as agreed: 15 unless limited. */
  public int clientWindow() {
    return clientMaxWindowBits > 0 ? clientMaxWindowBits : MAX_WINDOW_BITS;
  }

  /** These parameters as a header element, in the RFC's order. */
  public WebSocketExtension toExtension() {
    WebSocketExtension e = WebSocketExtension.of(NAME);
    if (serverNoContextTakeover) {
      e = e.withParameter(SERVER_NO_CONTEXT);
    }
    if (clientNoContextTakeover) {
      e = e.withParameter(CLIENT_NO_CONTEXT);
    }
    if (serverMaxWindowBits > 0) {
      e = e.withParameter(SERVER_BITS, Integer.toString(serverMaxWindowBits));
    }
    if (clientMaxWindowBits == NO_VALUE) {
      e = e.withParameter(CLIENT_BITS);
    } else if (clientMaxWindowBits > 0) {
      e = e.withParameter(CLIENT_BITS, Integer.toString(clientMaxWindowBits));
    }
    return e;
  }

  @Override
  public String toString() {
    return toExtension().toString();
  }
}
