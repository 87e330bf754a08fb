package io.reactivews.server.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the suite expects of a case: the events the server sends (one list, or a few acceptable
 * lists, the first being the suite's strict one) and how the connection ends. Immutable.
 *
 * <ul>
 *   <li>{@link #echoes}: after the events, the client closes with 1000; the server must answer
 *       1000 and close TCP (the suite's "clean close with normal code").
 *   <li>{@link #answersClose}: the script itself sent a close; the server must answer with that
 *       code (we require the echo; the suite also accepts 1000) and close TCP.
 *   <li>{@link #fails}: the server must fail the connection: a close frame with the code, or,
 *       as the suite allows wherever it does not require a clean close, a dropped TCP connection.
 * </ul>
 */
final class Outcome {

  /** Stands for an empty close body (no code at all). */
  static final int NO_CODE = -1;

  enum Ending {
    CLIENT_CLOSES,
    ANSWERS_CLOSE,
    FAILS
  }

  private final List<List<Event>> alternatives;
  private final Ending ending;
  private final int code;

  private Outcome(List<List<Event>> alternatives, Ending ending, int code) {
    this.alternatives = List.copyOf(alternatives);
    this.ending = ending;
    this.code = code;
  }

  /** The events arrive, then the client's close 1000 is answered with 1000. */
  static Outcome echoes(Event... events) {
    return new Outcome(List.of(List.of(events)), Ending.CLIENT_CLOSES, 1000);
  }

  /** The server answers the script's close with {@code code} ({@link #NO_CODE}: empty body). */
  static Outcome answersClose(int code) {
    return new Outcome(List.of(List.of()), Ending.ANSWERS_CLOSE, code);
  }

  /** The server fails the connection with {@code code}, or drops TCP. */
  static Outcome fails(int code) {
    return new Outcome(List.of(List.of()), Ending.FAILS, code);
  }

  /** The events that must come first (replacing "nothing"). */
  Outcome after(Event... events) {
    return new Outcome(List.of(List.of(events)), ending, code);
  }

  /** Another acceptable list of events (the suite's "non-strict" outcome). */
  Outcome orAfter(Event... events) {
    List<List<Event>> more = new ArrayList<>(alternatives);
    more.add(List.of(events));
    return new Outcome(more, ending, code);
  }

  List<List<Event>> alternatives() {
    return alternatives;
  }

  Ending ending() {
    return ending;
  }

  /** The close code the server must send. */
  int code() {
    return code;
  }

  /** Whether the server may end the connection without a close frame. */
  boolean dropAllowed() {
    return ending == Ending.FAILS;
  }

  /** The most events any acceptable list holds. */
  int longest() {
    return alternatives.stream().mapToInt(List::size).max().orElse(0);
  }

  @Override
  public String toString() {
    String events = alternatives.stream().map(List::toString)
        .collect(Collectors.joining(" or "));
    return events + " then " + ending + " " + (code == NO_CODE ? "(no code)" : code);
  }
}
