package io.reactivews.testing.conformance;

import io.reactivews.testing.Bytes;
import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A {@link PeerConnection} with no socket, for testing the runner and the transcript: it records
 * each write as hex, and lets what the endpoint "sent" arrive only once the peer wrote a given
 * number of times, as a real endpoint answers what it was sent. Single-threaded.
 */
final class QueuedConnection implements PeerConnection {

  private final List<String> writes = new ArrayList<>();
  private final Deque<Inbound> inbound = new ArrayDeque<>();
  private final int writesBeforeAnswer;
  private boolean outputShut;

  /** The endpoint's frames, then a clean end, after {@code writesBeforeAnswer} writes. */
  QueuedConnection(int writesBeforeAnswer, RawFrame... frames) {
    this.writesBeforeAnswer = writesBeforeAnswer;
    for (RawFrame frame : frames) {
      inbound.add(new Received(frame));
    }
    inbound.add(new Ended(EndKind.EOF, "end of stream"));
  }

  List<String> writes() {
    return writes;
  }

  boolean outputShut() {
    return outputShut;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    writes.add(Bytes.toHex(Arrays.copyOfRange(bytes, offset, offset + length)));
  }

  @Override
  public Inbound poll(Duration timeout) {
    return writes.size() < writesBeforeAnswer ? null : inbound.poll();
  }

  @Override
  public void shutdownOutput() {
    outputShut = true;
  }

  @Override
  public void close() {}
}
