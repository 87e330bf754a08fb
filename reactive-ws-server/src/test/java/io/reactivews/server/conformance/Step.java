package io.reactivews.server.conformance;

import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.List;

/** One thing a conformance case does on the connection, in order; see {@link Script}. */
sealed interface Step {

  /** How sent bytes are cut into writes (each write leaves as its own TCP segment). */
  enum Chops {
    /** All frames in one write. */
    ONE_WRITE,
    /** One write per frame ("frame-wise chops"). */
    PER_FRAME,
    /** Writes of a fixed number of bytes, 1 for "octet-wise chops". */
    FIXED
  }

  /** Writes frames, masked with the client's key sequence. */
  record Send(List<RawFrame> frames, Chops chops, int chopSize) implements Step {}

  /** Writes bytes as they are: a slice of a frame encoded in advance. */
  record Write(byte[] bytes, String label) implements Step {}

  /** Waits; whatever the server sends meanwhile is kept for the final comparison. */
  record Pause(Duration duration) implements Step {}

  /** Nothing may arrive (no frame, no end) for this long: the server must wait for more. */
  record Quiet(Duration duration) implements Step {}

  /** These events must arrive next, within the duration, before the script goes on. */
  record Expect(List<Event> events, Duration within) implements Step {}

  /**
   * The server must fail the connection within the duration (fail fast), before the script
   * goes on; how (code, or a drop where allowed) is judged by the case's {@link Outcome}.
   */
  record FailsWithin(Duration within) implements Step {}
}
