package io.reactivews.testing.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Something the endpoint under test sent that a conformance case compares, in the suite's
 * terms: a whole message (fragments joined) or a ping or pong with its payload. Close frames and
 * the end of the connection are judged apart, by the case's {@link Outcome}.
 */
public final class Event {

  public enum Kind {
    TEXT,
    BINARY,
    PING,
    PONG
  }

  private final Kind kind;
  private final byte[] payload;

  private Event(Kind kind, byte[] payload) {
    this.kind = kind;
    this.payload = payload;
  }

  public static Event of(Kind kind, byte[] payload) {
    return new Event(kind, payload.clone());
  }

  public static Event text(String text) {
    return new Event(Kind.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A text message with exactly these bytes. */
  public static Event text(byte[] utf8) {
    return of(Kind.TEXT, utf8);
  }

  public static Event binary(byte[] bytes) {
    return of(Kind.BINARY, bytes);
  }

  public static Event pong(byte[] payload) {
    return of(Kind.PONG, payload);
  }

  public static Event pong(String payload) {
    return pong(payload.getBytes(StandardCharsets.UTF_8));
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e && e.kind == kind && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    String shown = payload.length <= 24 ? HexFormat.of().formatHex(payload)
        : HexFormat.of().formatHex(payload, 0, 24) + "...";
    return kind + "(" + payload.length + " bytes " + shown + ")";
  }
}
