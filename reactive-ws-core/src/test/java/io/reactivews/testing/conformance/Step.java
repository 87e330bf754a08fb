package io.reactivews.testing.conformance;

import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.List;

/** One thing a conformance case does on the connection, in order; see {@link Script}. */
public sealed interface Step {

  /** How sent bytes are cut into writes (each write leaves as its own TCP segment). */
  enum Chops {
    /** All frames in one write. */
    ONE_WRITE,
    /** One write per frame ("frame-wise chops"). */
    PER_FRAME,
    /** Writes of a fixed number of bytes, 1 for "octet-wise chops". */
    FIXED
  }

  /**
   * Writes frames as the peer's role sends them: masked with a key sequence when the peer plays
   * the client, unmasked when it plays the server (unless a frame chose its own mask).
   */
  record Send(List<RawFrame> frames, Chops chops, int chopSize) implements Step {}

  /**
   * Writes a piece of one frame's wire bytes: from payload offset {@code from} (0 includes the
   * header) to payload offset {@code to}. A client peer masks the frame with one fixed key, so
   * that the pieces of one frame fit together.
   */
  record Piece(RawFrame frame, int from, int to, String label) implements Step {}

  /** Waits; whatever the endpoint sends meanwhile is kept for the final comparison. */
  record Pause(Duration duration) implements Step {}

  /** Nothing may arrive (no frame, no end) for this long: the endpoint must wait for more. */
  record Quiet(Duration duration) implements Step {}

  /**
   * These events must arrive next, before the script goes on: what is checked is that they come
   * before anything further is sent, so the runner waits for them as long as its patience allows.
   */
  record Expect(List<Event> events) implements Step {}

  /**
   * The endpoint must fail the connection before the script goes on (fail fast: before the rest
   * of the message is sent), however long a loaded machine takes to do it; how (code, or a drop
   * where allowed) is judged by the case's {@link Outcome}.
   */
  record FailsFirst() implements Step {}
}
