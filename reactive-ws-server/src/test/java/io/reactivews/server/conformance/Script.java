package io.reactivews.server.conformance;

import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client side of a conformance case as data: what to send, how to cut it into writes, and
 * where to pause or check on the way. Immutable: each method returns a longer script.
 *
 * <pre>{@code
 * Script.of()
 *     .send(RawFrame.text("fragment1").fin(false), RawFrame.ping(bytes("pongme 1!")))
 *     .expect(Event.pong("pongme 1!"))       // before the rest is sent
 *     .perFrame(RawFrame.continuation("fragment2"))
 * }</pre>
 */
final class Script {

  /** The pause of fail-fast and interleaving cases; the suite waits 1 s, we need less. */
  static final Duration PAUSE = Duration.ofMillis(250);

  private final List<Step> steps;

  private Script(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  static Script of() {
    return new Script(List.of());
  }

  /** Sends the frames in one write. */
  Script send(RawFrame... frames) {
    return with(new Step.Send(List.of(frames), Step.Chops.ONE_WRITE, 0));
  }

  /** Sends each frame in its own write ("frame-wise chops"). */
  Script perFrame(RawFrame... frames) {
    return with(new Step.Send(List.of(frames), Step.Chops.PER_FRAME, 0));
  }

  /** Sends the frames' bytes one write per byte ("octet-wise chops"). */
  Script perOctet(RawFrame... frames) {
    return chops(1, frames);
  }

  /** Sends the frames' bytes in writes of {@code size} bytes. */
  Script chops(int size, RawFrame... frames) {
    return with(new Step.Send(List.of(frames), Step.Chops.FIXED, size));
  }

  /** Writes raw bytes, such as a slice of {@link #slices}. */
  Script write(byte[] bytes, String label) {
    return with(new Step.Write(bytes, label));
  }

  Script pause() {
    return with(new Step.Pause(PAUSE));
  }

  /** The server must send nothing and keep the connection for {@link #PAUSE}. */
  Script quiet() {
    return with(new Step.Quiet(PAUSE));
  }

  /** These must arrive within {@link #PAUSE}, before anything further is sent. */
  Script expect(Event... events) {
    return with(new Step.Expect(List.of(events), PAUSE));
  }

  /** The connection must be failed within {@link #PAUSE}, before anything further is sent. */
  Script failsWithinPause() {
    return with(new Step.FailsWithin(PAUSE));
  }

  List<Step> steps() {
    return steps;
  }

  /**
   * The wire bytes of one frame (which must carry its own mask key, so that the bytes are fixed)
   * cut at payload offsets: the first slice holds the header and the payload up to the first cut.
   */
  static byte[][] slices(RawFrame frame, int... payloadCuts) {
    byte[] wire = frame.bytes(0);
    int header = wire.length - frame.payloadLength();
    byte[][] parts = new byte[payloadCuts.length + 1][];
    int from = 0;
    for (int i = 0; i <= payloadCuts.length; i++) {
      int to = i < payloadCuts.length ? header + payloadCuts[i] : wire.length;
      parts[i] = Arrays.copyOfRange(wire, from, to);
      from = to;
    }
    return parts;
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
