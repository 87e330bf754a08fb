package io.reactivews.testing.conformance;

import io.reactivews.core.Role;
import io.reactivews.testing.RawFrame;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the endpoint under test sent on one connection, as the suite sees it: events (messages
 * with their fragments joined, pings, pongs), then at most one close frame, then the end of the
 * connection.
 *
 * <p>Rules every frame of the endpoint must follow are checked as frames arrive, whatever the
 * case: masked by a client and never by a server (section 5.1), RSV bits clear (no extension was
 * negotiated), known opcodes, final and short control frames, continuations only inside a
 * message, and nothing after the close frame.
 *
 * <p>Not thread-safe: the test thread polls the connection through it.
 */
public final class Transcript {

  private final PeerConnection connection;
  private final Role endpoint;
  private final String who;
  private final List<Event> events = new ArrayList<>();
  private RawFrame closeFrame;
  private PeerConnection.Ended end;
  private Event.Kind messageKind;
  private ByteArrayOutputStream message;
  private int frames;

  /** A transcript of what {@code endpoint} (the role under test) sends on {@code connection}. */
  public Transcript(PeerConnection connection, Role endpoint) {
    this.connection = connection;
    this.endpoint = endpoint;
    this.who = endpoint == Role.SERVER ? "server" : "client";
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  /** The endpoint's close frame, null if none came (yet). */
  public RawFrame closeFrame() {
    return closeFrame;
  }

  /** How the connection ended, null while it is up. */
  public PeerConnection.Ended end() {
    return end;
  }

  /** Whether the endpoint sent its close frame or the connection ended. */
  public boolean terminated() {
    return closeFrame != null || end != null;
  }

  /** Takes whatever already arrived, without waiting. */
  public void drain() throws InterruptedException {
    while (end == null && take(Duration.ZERO)) {
      // keep taking
    }
  }

  /** Waits until {@code count} events arrived, the endpoint closed, or the time is up. */
  public void awaitEvents(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (events.size() < count && !terminated() && take(untilDeadline(deadline))) {
      // keep taking
    }
  }

  /** Waits until the endpoint sent its close frame or the connection ended. */
  public void awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!terminated() && take(untilDeadline(deadline))) {
      // keep taking
    }
  }

  /** Waits for the end of the connection; frames on the way are checked (and fail after close). */
  public void awaitEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (end == null && take(untilDeadline(deadline))) {
      // keep taking
    }
  }

  /** Asserts that nothing at all arrives for {@code duration}. */
  public void assertQuiet(Duration duration) throws InterruptedException {
    drain();
    int before = frames;
    PeerConnection.Ended endBefore = end;
    take(duration);
    if (frames != before || end != endBefore) {
      throw new AssertionError("expected nothing for " + duration.toMillis() + " ms, got "
          + (end != endBefore ? end : closeFrame != null ? closeFrame : events));
    }
  }

  private boolean take(Duration timeout) throws InterruptedException {
    if (end != null) {
      return false;
    }
    PeerConnection.Inbound next = connection.poll(timeout);
    if (next == null) {
      return false;
    }
    if (next instanceof PeerConnection.Ended ended) {
      end = ended;
    } else {
      accept(((PeerConnection.Received) next).frame());
    }
    return true;
  }

  private void accept(RawFrame frame) {
    frames++;
    check(frame.isMasked() == endpoint.masksOutbound(),
        endpoint.masksOutbound() ? "an unmasked frame" : "a masked frame", frame);
    check(frame.rsv() == 0, "RSV bits set with no extension", frame);
    check(closeFrame == null, "a frame after the close frame", frame);
    switch (frame.opcode()) {
      case RawFrame.CLOSE, RawFrame.PING, RawFrame.PONG -> {
        check(frame.fin() && frame.payloadLength() <= 125, "a fragmented or long control", frame);
        if (frame.opcode() == RawFrame.CLOSE) {
          closeFrame = frame;
        } else {
          events.add(Event.of(frame.opcode() == RawFrame.PING ? Event.Kind.PING
              : Event.Kind.PONG, frame.payload()));
        }
      }
      case RawFrame.TEXT, RawFrame.BINARY -> {
        check(messageKind == null, "a new message inside a fragmented one", frame);
        messageKind = frame.opcode() == RawFrame.TEXT ? Event.Kind.TEXT : Event.Kind.BINARY;
        message = new ByteArrayOutputStream();
        append(frame);
      }
      case RawFrame.CONTINUATION -> {
        check(messageKind != null, "a continuation with nothing to continue", frame);
        append(frame);
      }
      default -> throw new AssertionError("the " + who + " used a reserved opcode: " + frame);
    }
  }

  private void append(RawFrame frame) {
    message.writeBytes(frame.payload());
    if (frame.fin()) {
      events.add(Event.of(messageKind, message.toByteArray()));
      messageKind = null;
      message = null;
    }
  }

  private void check(boolean rule, String broken, RawFrame frame) {
    if (!rule) {
      throw new AssertionError("the " + who + " sent " + broken + ": " + frame);
    }
  }

  private static Duration untilDeadline(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }
}
