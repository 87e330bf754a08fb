package io.reactivews.core.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The header fields of an HTTP/1.1 head (RFC 9110 section 5): an ordered multimap whose names
 * compare without regard to case. Order and spelling are kept as received or added, since they
 * are what goes on the wire.
 *
 * <p>Names must be tokens and values may not hold CR, LF, NUL or other controls (a value that
 * could would let its author write headers of their own); spaces around a value are dropped.
 * Immutable and thread-safe; build one with {@link #builder()} or {@link #of(String...)}.
 *
 * <pre>{@code
 * HttpHeaders h = HttpHeaders.of("Connection", "keep-alive, Upgrade", "Upgrade", "websocket");
 * h.containsToken("connection", "upgrade");   // true
 * h.tokens("Connection");                      // [keep-alive, Upgrade]
 * }</pre>
 */
public final class HttpHeaders {

  private static final HttpHeaders EMPTY = new HttpHeaders(new String[0], new String[0]);

  /** Values hidden by {@link #toString()}, which ends up in logs and exception messages. */
  private static final List<String> SECRET =
      List.of("authorization", "proxy-authorization", "cookie", "set-cookie");

  // Either the two arrays, or, for headers kept long and read seldom, one packed array.
  private final String[] names;
  private final String[] values;
  private final byte[] packed;

  private HttpHeaders(String[] names, String[] values) {
    this.names = names;
    this.values = values;
    this.packed = null;
  }

  private HttpHeaders(byte[] packed) {
    this.names = null;
    this.values = null;
    this.packed = packed;
  }

  public static HttpHeaders empty() {
    return EMPTY;
  }

  /**
   * Headers from alternating names and values: {@code of("Host", "a.example", "Origin", o)}.
   *
   * @throws IllegalArgumentException if a name is not a token or a value is not allowed
   */
  public static HttpHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts with these headers. */
  public Builder toBuilder() {
    return new Builder().addAll(this);
  }

  /**
   * The same headers in one byte array ({@link PackedHeaders}), unpacked again on each read:
   * about a fifth of the memory, for headers a connection keeps for its whole life and hardly
   * reads (a session's handshake).
   */
  public HttpHeaders compact() {
    if (packed != null || names.length == 0) {
      return this;
    }
    return new HttpHeaders(PackedHeaders.pack(names, values));
  }

  /** Headers with the arrays: this, or a fresh copy of packed ones. */
  private HttpHeaders fields() {
    if (packed == null) {
      return this;
    }
    int size = PackedHeaders.size(packed);
    String[] n = new String[size];
    String[] v = new String[size];
    PackedHeaders.unpack(packed, n, v);
    return new HttpHeaders(n, v);
  }

  /** Number of header fields (lines), counting repeated names each time. */
  public int size() {
    if (packed != null) {
      return fields().size();
    }
    return names.length;
  }

  public boolean isEmpty() {
    if (packed != null) {
      return false;
    }
    return names.length == 0;
  }

  /** Name of the field at {@code index}, as spelled. */
  public String name(int index) {
    if (packed != null) {
      return fields().name(index);
    }
    return names[index];
  }

  /** Value of the field at {@code index}. */
  public String value(int index) {
    if (packed != null) {
      return fields().value(index);
    }
    return values[index];
  }

  /** The first value of {@code name}, or null when there is none. */
  public String get(String name) {
    if (packed != null) {
      return fields().get(name);
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** Every value of {@code name}, in order; empty when there is none. */
  public List<String> getAll(String name) {
    if (packed != null) {
      return fields().getAll(name);
    }
    List<String> all = new ArrayList<>(2);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        all.add(values[i]);
      }
    }
    return Collections.unmodifiableList(all);
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  /**
   * The elements of a comma-separated list header across all its fields (RFC 9110 section 5.6.1):
   * {@code Connection: keep-alive, Upgrade} and {@code Connection: close} give [keep-alive,
   * Upgrade, close]. Elements are trimmed and empty ones dropped. Commas inside quoted strings
   * are not special-cased: this is for lists of tokens.
   */
  public List<String> tokens(String name) {
    if (packed != null) {
      return fields().tokens(name);
    }
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        for (String element : values[i].split(",", -1)) {
          String trimmed = HttpSyntax.trim(element);
          if (!trimmed.isEmpty()) {
            tokens.add(trimmed);
          }
        }
      }
    }
    return Collections.unmodifiableList(tokens);
  }

  /** Whether the list header {@code name} has the element {@code token}, ignoring case. */
  public boolean containsToken(String name, String token) {
    for (String t : tokens(name)) {
      if (t.equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  /** The distinct names, in order of first appearance and as first spelled. */
  public List<String> names() {
    if (packed != null) {
      return fields().names();
    }
    List<String> distinct = new ArrayList<>();
    for (String n : names) {
      if (distinct.stream().noneMatch(n::equalsIgnoreCase)) {
        distinct.add(n);
      }
    }
    return Collections.unmodifiableList(distinct);
  }

  /** Calls {@code action} with each name and value, in order. */
  public void forEach(BiConsumer<String, String> action) {
    if (packed != null) {
      fields().forEach(action);
      return;
    }
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }

  /** Appends each field as {@code Name: value} and CRLF, the wire form. */
  void appendTo(StringBuilder sb) {
    if (packed != null) {
      fields().appendTo(sb);
      return;
    }
    for (int i = 0; i < names.length; i++) {
      sb.append(names[i]).append(": ").append(values[i]).append("\r\n");
    }
  }

  /** Same fields in the same order, names compared without case. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HttpHeaders that)) {
      return false;
    }
    if (packed != null || that.packed != null) {
      return fields().equals(that.fields());
    }
    HttpHeaders other = that;
    if (other.names.length != names.length) {
      return false;
    }
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equalsIgnoreCase(other.names[i]) || !values[i].equals(other.values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    if (packed != null) {
      return fields().hashCode();
    }
    int h = 1;
    for (int i = 0; i < names.length; i++) {
      h = 31 * h + names[i].toLowerCase(Locale.ROOT).hashCode();
      h = 31 * h + values[i].hashCode();
    }
    return h;
  }

  /** One field per line; credentials and cookies are shown as {@code <hidden>}. */
  @Override
  public String toString() {
    if (packed != null) {
      return fields().toString();
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      boolean secret = SECRET.contains(names[i].toLowerCase(Locale.ROOT));
      sb.append(names[i]).append(": ").append(secret ? "<hidden>" : values[i]);
      if (i < names.length - 1) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Collects fields; validates each as it is added. Not thread-safe. */
  public static final class Builder {

    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a field after the others.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds a control
     *     character (CR, LF, NUL...) or a character above 0xFF
     */
    public Builder add(String name, String value) {
      HttpSyntax.checkName(name);
      names.add(name);
      values.add(HttpSyntax.checkValue(name, value));
      return this;
    }

    /** Replaces every field of {@code name} with one, placed where the first one was. */
    public Builder set(String name, String value) {
      HttpSyntax.checkName(name);
      String checked = HttpSyntax.checkValue(name, value);
      int at = indexOf(name);
      remove(name);
      names.add(at < 0 ? names.size() : at, name);
      values.add(at < 0 ? values.size() : at, checked);
      return this;
    }

    /** Removes every field of {@code name}. */
    public Builder remove(String name) {
      for (int i = names.size() - 1; i >= 0; i--) {
        if (names.get(i).equalsIgnoreCase(name)) {
          names.remove(i);
          values.remove(i);
        }
      }
      return this;
    }

    public Builder addAll(HttpHeaders headers) {
      HttpHeaders fields = headers.fields();
      names.addAll(Arrays.asList(fields.names));
      values.addAll(Arrays.asList(fields.values));
      return this;
    }

    public boolean contains(String name) {
      return indexOf(name) >= 0;
    }

    public HttpHeaders build() {
      if (names.isEmpty()) {
        return EMPTY;
      }
      return new HttpHeaders(names.toArray(new String[0]), values.toArray(new String[0]));
    }

    private int indexOf(String name) {
      Objects.requireNonNull(name, "name");
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equalsIgnoreCase(name)) {
          return i;
        }
      }
      return -1;
    }
  }
}
