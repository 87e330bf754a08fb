package io.reactivews.testing.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the suite expects of a case: the events the endpoint under test sends (one list, or a few
 * acceptable lists, the first being the suite's strict one) and how the connection ends. The
 * same for a server under test and for a client under test. Immutable.
 *
 * <ul>
 *   <li>{@link #echoes}: after the events, the peer closes with 1000; the endpoint must answer
 *       1000, and TCP must end cleanly (the suite's "clean close with normal code").
 *   <li>{@link #answersClose}: the script itself sent a close; the endpoint must answer with that
 *       code (we require the echo; the suite also accepts 1000), and TCP must end cleanly.
 *   <li>{@link #fails}: the endpoint must fail the connection: a close frame with the code, or,
 *       as the suite allows wherever it does not require a clean close, a dropped TCP connection.
 * </ul>
 */
public final class Outcome {

  /** Stands for an empty close body (no code at all). */
  public static final int NO_CODE = -1;

  /** How the connection ends. */
  public enum Ending {
    /** The peer closes with 1000 once the events arrived. */
    PEER_CLOSES,
    /** The script sent a close; the endpoint answers it. */
    ANSWERS_CLOSE,
    /** The endpoint fails the connection. */
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

  /** The events arrive, then the peer's close 1000 is answered with 1000. */
  public static Outcome echoes(Event... events) {
    return new Outcome(List.of(List.of(events)), Ending.PEER_CLOSES, 1000);
  }

  /** The endpoint answers the script's close with {@code code} ({@link #NO_CODE}: no body). */
  public static Outcome answersClose(int code) {
    return new Outcome(List.of(List.of()), Ending.ANSWERS_CLOSE, code);
  }

  /** The endpoint fails the connection with {@code code}, or drops TCP. */
  public static Outcome fails(int code) {
    return new Outcome(List.of(List.of()), Ending.FAILS, code);
  }

  /** The events that must come first (replacing "nothing"). */
  public Outcome after(Event... events) {
    return new Outcome(List.of(List.of(events)), ending, code);
  }

  /** Another acceptable list of events (the suite's "non-strict" outcome). */
  public Outcome orAfter(Event... events) {
    List<List<Event>> more = new ArrayList<>(alternatives);
    more.add(List.of(events));
    return new Outcome(more, ending, code);
  }

  public List<List<Event>> alternatives() {
    return alternatives;
  }

  public Ending ending() {
    return ending;
  }

  /** The close code the endpoint must send. */
  public int code() {
    return code;
  }

  /** Whether the endpoint may end the connection without a close frame. */
  public boolean dropAllowed() {
    return ending == Ending.FAILS;
  }

  /** The most events any acceptable list holds. */
  public int longest() {
    return alternatives.stream().mapToInt(List::size).max().orElse(0);
  }

  @Override
  public String toString() {
    String events = alternatives.stream().map(List::toString)
        .collect(Collectors.joining(" or "));
    return events + " then " + ending + " " + (code == NO_CODE ? "(no code)" : code);
  }
}
