package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.internal.SessionProbe.Initiator;
import io.reactivews.core.session.CloseHandshake.Actions;
import io.reactivews.core.session.CloseHandshake.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The close handshake of RFC 6455 section 7, on its own: every order of every event, in both
 * roles, with and without a reader of the messages, checked against rules stated over the events
 * seen so far rather than against a second copy of the machine.
 */
class CloseHandshakeTest {

  private static final CloseStatus OURS = CloseStatus.of(4000, "bye");
  private static final CloseStatus THEIRS = CloseStatus.describing(4001, "theirs");
  private static final CloseStatus BAD_FRAME = CloseStatus.describing(1002, "bad frame");
  private static final CloseStatus RESET = CloseStatus.describing(1006, "connection reset");

  /** Everything that can happen to a connection while it closes. */
  enum Event {
    CLOSE_REQUESTED((h, reader) -> h.closeRequested(OURS)),
    FAILED((h, reader) -> h.failed(BAD_FRAME)),
    INPUT_BROKEN((h, reader) -> h.inputBroken(RESET)),
    CLOSE_FRAME_RECEIVED((h, reader) -> h.closeFrameReceived(THEIRS)),
    CLOSE_FRAME_FLUSHED((h, reader) -> h.closeFrameFlushed()),
    OUTPUT_BROKEN((h, reader) -> h.outputBroken()),
    INPUT_ENDED((h, reader) -> h.inputEnded()),
    CLOSE_TIMED_OUT((h, reader) -> h.closeTimedOut()),
    CONNECTION_CLOSED(CloseHandshake::connectionClosed),
    INPUT_HANDLED((h, reader) -> h.inputHandled());

    private final BiFunction<CloseHandshake, Boolean, Actions> apply;

    Event(BiFunction<CloseHandshake, Boolean, Actions> apply) {
      this.apply = apply;
    }

    /** Applies this event; {@code reader}: someone reads the messages. */
    Actions applyTo(CloseHandshake handshake, boolean reader) {
      return apply.apply(handshake, reader);
    }
  }

  private static final Set<Event> STARTS_CLOSE =
      EnumSet.of(Event.CLOSE_REQUESTED, Event.FAILED, Event.CLOSE_FRAME_RECEIVED);
  private static final Set<Event> STOPS_READING = EnumSet.of(
      Event.INPUT_BROKEN, Event.OUTPUT_BROKEN, Event.INPUT_ENDED, Event.CLOSE_TIMED_OUT);
  /** The events that say how the connection ends; the first of them decides. */
  private static final Set<Event> DECIDES = EnumSet.of(
      Event.FAILED, Event.INPUT_BROKEN, Event.CLOSE_FRAME_RECEIVED, Event.CLOSE_TIMED_OUT);

  /** Nobody reads the messages: the input's being handled never matters. */
  @ParameterizedTest
  @EnumSource(Role.class)
  void everyOrderOfEveryEventFollowsTheRules(Role role) {
    checkEveryOrder(role, false, EnumSet.complementOf(EnumSet.of(Event.INPUT_HANDLED)));
  }

  /**
   * Someone reads the messages: a closed connection may wait for what was read before it. The
   * output's breaking is left out to keep the count of orders at 9!, as above: it asks for what
   * the input's end asks for, and decides nothing.
   */
  @ParameterizedTest
  @EnumSource(Role.class)
  void everyOrderOfEveryEventFollowsTheRulesWithAReader(Role role) {
    checkEveryOrder(role, true, EnumSet.complementOf(EnumSet.of(Event.OUTPUT_BROKEN)));
  }

  private static void checkEveryOrder(Role role, boolean reader, Set<Event> eventSet) {
    Event[] events = eventSet.toArray(Event[]::new);
    int[] visited = {0};
    permute(events, 0, order -> {
      check(role, reader, order);
      visited[0]++;
    });
    assertEquals(factorial(events.length), visited[0]);
  }

  /**
   * Runs {@code order} one event at a time; after each, checks what was asked for and the state
   * against the events so far, and that the same event again asks for nothing and changes nothing.
   * Every order of a subset of the events is the start of one of the full orders, so checking
   * after each step covers them too.
   */
  private static void check(Role role, boolean reader, Event[] order) {
    CloseHandshake handshake = new CloseHandshake(role, Duration.ofSeconds(3));
    List<Event> seen = new ArrayList<>();
    Event sentBy = null;
    boolean flushedAfterSend = false;
    boolean halfClosed = false;
    boolean stopped = false;
    boolean waiting = false; // the connection is closed; what was read before is not handled yet
    boolean ended = false;
    for (Event event : order) {
      try {
        boolean endedBefore = ended;
        seen.add(event);
        Actions actions = event.applyTo(handshake, reader);

        // Nothing happens after the end.
        if (endedBefore) {
          assertTrue(actions.isEmpty(), "acted after the end");
          continue;
        }

        // A close frame is sent once, for the first event that starts the close, unless the
        // connection is gone by then.
        boolean sendsNow = sentBy == null && STARTS_CLOSE.contains(event) && !waiting;
        assertEquals(sendsNow, actions.sendClose() != null);
        if (sendsNow) {
          sentBy = event;
          assertEquals(expectedFrame(event), actions.sendClose());
          assertEquals(event == Event.FAILED, actions.discardQueued());
        } else {
          assertFalse(actions.discardQueued());
        }
        if (event == Event.CLOSE_FRAME_FLUSHED && sentBy != null) {
          flushedAfterSend = true; // a flush before any close frame means nothing
        }

        // Reading stops once, at the first event that ends the input or the output; a timeout
        // while waiting for the input ends the session instead.
        boolean endsTheWait = waiting
            && (event == Event.INPUT_HANDLED || event == Event.CLOSE_TIMED_OUT);
        boolean stopsNow = !stopped && STOPS_READING.contains(event) && !endsTheWait;
        assertEquals(stopsNow, actions.closeConnection());
        stopped |= stopsNow;

        // A server half-closes once, as soon as its close frame is out and the peer's arrived (or
        // it failed), unless it is closing the connection anyway; a client never does.
        boolean due = role == Role.SERVER && !halfClosed && !stopped && flushedAfterSend
            && !waiting
            && (seen.contains(Event.CLOSE_FRAME_RECEIVED) || seen.contains(Event.FAILED));
        assertEquals(due, actions.halfClose());
        halfClosed |= due;

        // A closed connection waits for what was read before it when someone reads and it was
        // not all handled yet: the peer's close frame may be there, or messages the reader wants.
        boolean waitsNow = event == Event.CONNECTION_CLOSED && reader
            && !seen.contains(Event.INPUT_HANDLED);
        assertEquals(waitsNow, actions.awaitInput());

        // The end comes with the closed connection, or once the wait is over, with the status
        // the first deciding event set.
        CloseStatus outcome = expectedOutcome(seen);
        boolean endsNow = endsTheWait || (event == Event.CONNECTION_CLOSED && !waitsNow);
        if (endsNow) {
          assertEquals(outcome, actions.end());
          ended = true;
        } else {
          assertNull(actions.end());
        }
        waiting |= waitsNow;

        // What the session, the queue and the bridge read.
        State expected = ended ? State.CLOSED : expectedState(seen);
        assertEquals(expected, handshake.state());
        assertEquals(ended ? ReadyState.CLOSED : sentBy != null || waiting ? ReadyState.CLOSING
            : ReadyState.OPEN, handshake.readyState());
        assertEquals(expected == State.OPEN, handshake.isOpen());
        assertEquals(sentBy == null ? null : expectedFrame(sentBy), handshake.sent());
        assertEquals(sentBy == Event.FAILED, handshake.discardsQueued());
        assertEquals(outcome == THEIRS ? null : outcome, handshake.messagesEndWith());
        if (ended) {
          assertEquals(outcome, handshake.ending());
        }
        if (sentBy == null && !ended && firstDeciding(seen) == null) {
          assertNull(handshake.ending());
        }

        // The same event again asks for nothing and changes nothing.
        State state = handshake.state();
        CloseStatus ending = handshake.ending();
        assertTrue(event.applyTo(handshake, reader).isEmpty(), "acted on a repeat");
        assertEquals(state, handshake.state());
        assertEquals(ending, handshake.ending());
      } catch (AssertionError e) {
        // The order so far, built only for a failure: there are millions of steps.
        throw new AssertionError(role + " after " + seen + ": " + e.getMessage(), e);
      }
    }
  }

  private static CloseStatus expectedFrame(Event startedBy) {
    return switch (startedBy) {
      case CLOSE_REQUESTED -> OURS;
      case FAILED -> BAD_FRAME;
      // The peer's code echoed, without its reason.
      case CLOSE_FRAME_RECEIVED -> CloseStatus.describing(THEIRS.code(), "");
      default -> throw new AssertionError(startedBy);
    };
  }

  /** The first event that decided the status; {@code seen} never goes past the end. */
  private static Event firstDeciding(List<Event> seen) {
    for (Event e : seen) {
      if (DECIDES.contains(e)) {
        return e;
      }
    }
    return null;
  }

  private static CloseStatus expectedOutcome(List<Event> seen) {
    Event first = firstDeciding(seen);
    if (first == null) {
      return CloseStatus.describing(1006, "connection closed without a close frame");
    }
    return switch (first) {
      case FAILED -> BAD_FRAME;
      case INPUT_BROKEN -> RESET;
      case CLOSE_FRAME_RECEIVED -> THEIRS;
      case CLOSE_TIMED_OUT -> seen.indexOf(Event.CONNECTION_CLOSED) >= 0
          && seen.indexOf(Event.CONNECTION_CLOSED) < seen.indexOf(Event.CLOSE_TIMED_OUT)
          ? CloseStatus.describing(1006,
              "connection closed; what the peer sent before was not read within 3000 ms")
          : CloseStatus.describing(1006, "no close frame from the peer within 3000 ms");
      default -> throw new AssertionError(first);
    };
  }

  /**
   * The state before the end; {@code seen} never goes past the end, so a closed connection seen
   * is one that waits for its input: only the peer's close frame read late moves it then.
   */
  private static State expectedState(List<Event> seen) {
    State state = State.OPEN;
    boolean gone = false;
    for (Event e : seen) {
      gone |= e == Event.CONNECTION_CLOSED;
      if (e == Event.CLOSE_FRAME_RECEIVED) {
        state = State.CLOSE_RECEIVED;
      } else if (state == State.OPEN && STARTS_CLOSE.contains(e) && !gone) {
        state = State.CLOSE_SENT;
      }
    }
    return state;
  }

  /** Calls {@code each} with every order of {@code events[from..]} (Heap's algorithm would do too). */
  private static void permute(Event[] events, int from, java.util.function.Consumer<Event[]> each) {
    if (from == events.length) {
      each.accept(events);
      return;
    }
    for (int i = from; i < events.length; i++) {
      swap(events, from, i);
      permute(events, from + 1, each);
      swap(events, from, i);
    }
  }

  private static void swap(Event[] events, int i, int j) {
    Event t = events[i];
    events[i] = events[j];
    events[j] = t;
  }

  private static int factorial(int n) {
    return n <= 1 ? 1 : n * factorial(n - 1);
  }

  // Some orders, spelled out: what the exhaustive test checks, as a reader would look for it.

  @Test
  void section7_1_2_weCloseThePeerAnswersAndTheServerSendsItsFinThenTheConnectionCloses() {
    CloseHandshake server = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
    assertEquals(new Actions(OURS, false, false, false, null, false), server.closeRequested(OURS));
    assertEquals(ReadyState.CLOSING, server.readyState());
    assertTrue(server.closeFrameFlushed().isEmpty(), "the peer's answer has not come");
    assertEquals(new Actions(null, false, true, false, null, false), server.closeFrameReceived(THEIRS));
    assertNull(server.endOfMessages(), "the peer's close frame ends its messages cleanly");
    assertTrue(server.inputEnded().closeConnection());
    assertEquals(THEIRS, server.connectionClosed(false).end());
    assertEquals(ReadyState.CLOSED, server.readyState());
  }

  @Test
  void section5_5_1_thePeersCloseIsEchoedWithItsCodeAndAnEmptyCloseWithAnEmptyFrame() {
    CloseHandshake client = new CloseHandshake(Role.CLIENT, Duration.ofSeconds(1));
    assertEquals(CloseStatus.describing(4001, ""), client.closeFrameReceived(THEIRS).sendClose());
    assertSame(State.CLOSE_RECEIVED, client.state());
    assertTrue(client.closeFrameFlushed().isEmpty(), "a client waits for the server's FIN");

    CloseHandshake other = new CloseHandshake(Role.CLIENT, Duration.ofSeconds(1));
    assertSame(CloseStatus.NO_STATUS_RECEIVED,
        other.closeFrameReceived(CloseStatus.NO_STATUS_RECEIVED).sendClose());
  }

  @Test
  void section7_1_7_failingSendsTheErrorAheadOfQueuedMessagesAndWaitsForNoAnswer() {
    CloseHandshake server = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
    assertEquals(new Actions(BAD_FRAME, true, false, false, null, false), server.failed(BAD_FRAME));
    assertTrue(server.closeFrameFlushed().halfClose());
    assertEquals(BAD_FRAME, server.connectionClosed(false).end());
  }

  @Test
  void onlyTheFirstCloseRequestCounts() {
    CloseHandshake handshake = new CloseHandshake(Role.CLIENT, Duration.ofSeconds(1));
    handshake.closeRequested(OURS);
    assertTrue(handshake.closeRequested(CloseStatus.GOING_AWAY).isEmpty());
    assertEquals(OURS, handshake.sent());
  }

  @Test
  void aPeerThatNeverAnswersEndsAs1006NamingTheTimeout() {
    CloseHandshake handshake = new CloseHandshake(Role.SERVER, Duration.ofMillis(250));
    handshake.closeRequested(OURS);
    handshake.closeFrameFlushed();
    assertTrue(handshake.closeTimedOut().closeConnection());
    CloseStatus end = handshake.connectionClosed(false).end();
    assertEquals(1006, end.code());
    assertEquals("no close frame from the peer within 250 ms", end.reason());
    WebSocketException error = handshake.endOfMessages();
    assertEquals(end, error.status());
    assertEquals(end.reason(), error.getMessage());
  }

  @Test
  void aCloseFrameReadAfterTheConnectionClosedStillDecidesTheStatus() {
    // The client closed; the server answered and closed TCP before the application read on.
    CloseHandshake client = new CloseHandshake(Role.CLIENT, Duration.ofSeconds(1));
    client.closeRequested(OURS);
    client.closeFrameFlushed();
    assertEquals(new Actions(null, false, false, false, null, true), client.connectionClosed(true));
    assertEquals(ReadyState.CLOSING, client.readyState());
    assertTrue(client.closeFrameReceived(THEIRS).isEmpty());
    assertEquals(THEIRS, client.inputHandled().end());
    assertEquals(ReadyState.CLOSED, client.readyState());
    assertSame(Initiator.LOCAL, client.initiator());
  }

  @Test
  void nothingIsSentOnceTheConnectionIsGoneAndAPeerCloseReadLateWasTheirs() {
    CloseHandshake server = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
    assertTrue(server.connectionClosed(true).awaitInput());
    assertEquals(ReadyState.CLOSING, server.readyState());
    assertTrue(server.closeRequested(OURS).isEmpty(), "nobody to send a close frame to");
    assertTrue(server.failed(BAD_FRAME).isEmpty());
    assertTrue(server.closeFrameReceived(THEIRS).isEmpty());
    assertNull(server.sent());
    assertEquals(BAD_FRAME, server.inputHandled().end());
    assertSame(Initiator.REMOTE, server.initiator());
  }

  @Test
  void waitingForAReaderIsBoundedByTheCloseTimer() {
    CloseHandshake client = new CloseHandshake(Role.CLIENT, Duration.ofMillis(250));
    assertTrue(client.connectionClosed(true).awaitInput());
    CloseStatus end = client.closeTimedOut().end();
    assertEquals(CloseStatus.describing(1006,
        "connection closed; what the peer sent before was not read within 250 ms"), end);
    assertTrue(client.inputHandled().isEmpty(), "the end came once");
  }

  @Test
  void withNobodyReadingOrEverythingReadAClosedConnectionEndsAtOnce() {
    CloseHandshake unread = new CloseHandshake(Role.CLIENT, Duration.ofSeconds(1));
    assertEquals(1006, unread.connectionClosed(false).end().code());

    CloseHandshake handled = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
    handled.failed(BAD_FRAME);
    assertTrue(handled.inputHandled().isEmpty(), "the connection is still open");
    assertEquals(BAD_FRAME, handled.connectionClosed(true).end());
  }
}
