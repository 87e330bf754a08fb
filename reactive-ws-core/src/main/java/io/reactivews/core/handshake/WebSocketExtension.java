package io.reactivews.core.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header: an extension name and its
 * parameters, as offered by a client or answered by a server (RFC 6455 section 9.1).
 *
 * <pre>
 * Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-foo; level="3"
 *   -> [permessage-deflate {client_max_window_bits}, x-foo {level=3}]
 * </pre>
 *
 * <p>Parameters keep their order and repeats, because an extension may need to see them (RFC
 * 7692 declines an offer that repeats a parameter). A value may arrive as a token or a quoted
 * string whose content is a token; it is stored unquoted and written as a token. Names compare
 * without regard to case. Immutable and thread-safe.
 */
public final class WebSocketExtension {

  /** A parameter; {@code value} is null when it has none: {@code ; server_no_context_takeover}. */
  public record Parameter(String name, String value) {

    public Parameter {
      if (name == null || !HttpSyntax.isToken(name)) {
        throw new IllegalArgumentException(
            "extension parameter name is not a token: " + HttpSyntax.quote(name));
      }
      if (value != null && !HttpSyntax.isToken(value)) {
        throw new IllegalArgumentException(
            "extension parameter value is not a token: " + HttpSyntax.quote(value));
      }
    }

    @Override
    public String toString() {
      return value == null ? name : name + "=" + value;
    }
  }

  private final String name;
  private final List<Parameter> parameters;

  private WebSocketExtension(String name, List<Parameter> parameters) {
    this.name = name;
    this.parameters = parameters;
  }

  /**
   * An extension with no parameters.
   *
   * @throws IllegalArgumentException if the name is not a token
   */
  public static WebSocketExtension of(String name) {
    if (name == null || !HttpSyntax.isToken(name)) {
      throw new IllegalArgumentException(
          "extension name is not a token: " + HttpSyntax.quote(name));
    }
    return new WebSocketExtension(name, List.of());
  }

  /** A copy with a parameter that has no value added at the end. */
  public WebSocketExtension withParameter(String paramName) {
    return with(new Parameter(paramName, null));
  }

  /** A copy with {@code paramName=value} added at the end; the value must be a token. */
  public WebSocketExtension withParameter(String paramName, String value) {
    return with(new Parameter(paramName, Objects.requireNonNull(value, "value")));
  }

  private WebSocketExtension with(Parameter p) {
    List<Parameter> more = new ArrayList<>(parameters);
    more.add(p);
    return new WebSocketExtension(name, List.copyOf(more));
  }

  public String name() {
    return name;
  }

  /** Every parameter, in order, repeats included. */
  public List<Parameter> parameters() {
    return parameters;
  }

  public boolean hasParameter(String paramName) {
    return parameters.stream().anyMatch(p -> p.name().equalsIgnoreCase(paramName));
  }

  /** The value of the first parameter named {@code paramName}; null when absent or valueless. */
  public String parameterValue(String paramName) {
    for (Parameter p : parameters) {
      if (p.name().equalsIgnoreCase(paramName)) {
        return p.value();
      }
    }
    return null;
  }

  /**
   * Parses a {@code Sec-WebSocket-Extensions} value: a comma-separated list of extensions, each
   * with {@code ;}-separated parameters. Empty list elements are skipped (RFC 9110 section 5.6.1).
   *
   * @throws IllegalArgumentException with the position and reason, if the value breaks the
   *     grammar of RFC 6455 section 9.1
   */
  public static List<WebSocketExtension> parse(String headerValue) {
    return new Scanner(headerValue).list();
  }

  /** Parses every {@code Sec-WebSocket-Extensions} field of {@code headers}, in order. */
  public static List<WebSocketExtension> parseAll(HttpHeaders headers) {
    List<WebSocketExtension> all = new ArrayList<>();
    for (String value : headers.getAll("Sec-WebSocket-Extensions")) {
      all.addAll(parse(value));
    }
    return Collections.unmodifiableList(all);
  }

  /** The header value for a list: {@code a; x=1, b}. */
  public static String format(List<WebSocketExtension> extensions) {
    StringBuilder sb = new StringBuilder();
    for (WebSocketExtension e : extensions) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebSocketExtension other
        && other.name.equals(name) && other.parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + parameters.hashCode();
  }

  /** The header form: {@code permessage-deflate; client_max_window_bits=10}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name);
    for (Parameter p : parameters) {
      sb.append("; ").append(p);
    }
    return sb.toString();
  }

  /** A recursive-descent reader of the section 9.1 grammar. */
  private static final class Scanner {

    private final String s;
    private int at;

    Scanner(String s) {
      this.s = Objects.requireNonNull(s, "header value");
    }

    List<WebSocketExtension> list() {
      List<WebSocketExtension> list = new ArrayList<>();
      while (true) {
        skipWhitespace();
        if (at == s.length()) {
          return Collections.unmodifiableList(list);
        }
        if (peek() != ',') {
          list.add(extension());
          skipWhitespace();
        }
        if (at < s.length()) {
          expect(',');
        }
      }
    }

    private WebSocketExtension extension() {
      WebSocketExtension e = new WebSocketExtension(token("extension name"), List.of());
      skipWhitespace();
      while (at < s.length() && peek() == ';') {
        at++;
        skipWhitespace();
        String param = token("parameter name");
        skipWhitespace();
        if (at < s.length() && peek() == '=') {
          at++;
          skipWhitespace();
          String value =
              at < s.length() && peek() == '"' ? quotedToken() : token("parameter value");
          e = e.with(new Parameter(param, value));
          skipWhitespace();
        } else {
          e = e.with(new Parameter(param, null));
        }
      }
      return e;
    }

    private String token(String what) {
      int start = at;
      while (at < s.length() && HttpSyntax.isTchar(s.charAt(at))) {
        at++;
      }
      if (start == at) {
        throw error("expected " + what);
      }
      return s.substring(start, at);
    }

    /** A quoted string whose content must be a token once unescaped (section 9.1). */
    private String quotedToken() {
      at++;
      StringBuilder sb = new StringBuilder();
      while (at < s.length() && peek() != '"') {
        char c = s.charAt(at++);
        if (c == '\\') {
          if (at == s.length()) {
            break;
          }
          c = s.charAt(at++);
        }
        sb.append(c);
      }
      if (at == s.length()) {
        throw error("unterminated quoted string");
      }
      at++;
      if (!HttpSyntax.isToken(sb)) {
        throw error("quoted parameter value is not a token");
      }
      return sb.toString();
    }

    private void expect(char c) {
      if (at >= s.length() || peek() != c) {
        throw error("expected '" + c + "'");
      }
      at++;
    }

    private char peek() {
      return s.charAt(at);
    }

    private void skipWhitespace() {
      while (at < s.length() && HttpSyntax.isWhitespace(s.charAt(at))) {
        at++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("malformed Sec-WebSocket-Extensions at " + at + ": "
          + what + " in " + HttpSyntax.quote(s));
    }
  }
}
