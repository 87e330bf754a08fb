package io.reactivews.testing.conformance;

import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw peer's side of a conformance case as data: what to send, how to cut it into writes,
 * and where to pause or check on the way. It names no role: {@link CaseRunner} masks what it
 * sends when the peer plays the client, and not when it plays the server. Immutable: each method
 * returns a longer script.
 *
 * <pre>{@code
 * Script.of()
 *     .send(RawFrame.text("fragment1").fin(false), RawFrame.ping("pongme 1!"))
 *     .expect(Event.pong("pongme 1!"))       // before the rest is sent
 *     .perFrame(RawFrame.continuation("fragment2"))
 * }</pre>
 */
public final class Script {

  /**
   * How long the peer pauses, and how long an endpoint must then stay quiet; the suite waits 1 s,
   * we need less. What must come is waited for by the runner's patience instead.
   */
  public static final Duration PAUSE = Duration.ofMillis(250);

  private final List<Step> steps;

  private Script(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public static Script of() {
    return new Script(List.of());
  }

  /** Sends the frames in one write. */
  public Script send(RawFrame... frames) {
    return with(new Step.Send(List.of(frames), Step.Chops.ONE_WRITE, 0));
  }

  /** Sends each frame in its own write ("frame-wise chops"). */
  public Script perFrame(RawFrame... frames) {
    return with(new Step.Send(List.of(frames), Step.Chops.PER_FRAME, 0));
  }

  /** Sends the frames' bytes one write per byte ("octet-wise chops"). */
  public Script perOctet(RawFrame... frames) {
    return chops(1, frames);
  }

  /** Sends the frames' bytes in writes of {@code size} bytes. */
  public Script chops(int size, RawFrame... frames) {
    return with(new Step.Send(List.of(frames), Step.Chops.FIXED, size));
  }

  /**
   * Writes the wire bytes of {@code frame} from payload offset {@code from} to {@code to}; a
   * {@code from} of 0 includes the header. Pieces of one frame, written in order with steps
   * between them, cut a frame where a case must pause inside it.
   */
  public Script piece(RawFrame frame, int from, int to, String label) {
    if (from < 0 || from > to || to > frame.payloadLength()) {
      throw new IllegalArgumentException("no piece " + from + "-" + to + " of " + frame);
    }
    return with(new Step.Piece(frame, from, to, label));
  }

  public Script pause() {
    return with(new Step.Pause(PAUSE));
  }

  /** The endpoint must send nothing and keep the connection for {@link #PAUSE}. */
  public Script quiet() {
    return with(new Step.Quiet(PAUSE));
  }

  /** These must arrive before anything further is sent. */
  public Script expect(Event... events) {
    return with(new Step.Expect(List.of(events)));
  }

  /** The connection must be failed before anything further is sent (fail fast). */
  public Script failsFirst() {
    return with(new Step.FailsFirst());
  }

  public List<Step> steps() {
    return steps;
  }

  private Script with(Step step) {
    List<Step> longer = new ArrayList<>(steps);
    longer.add(step);
    return new Script(longer);
  }

  @Override
  public String toString() {
    return steps.toString();
  }
}
