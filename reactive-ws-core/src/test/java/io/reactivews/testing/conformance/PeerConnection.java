package io.reactivews.testing.conformance;

import io.reactivews.testing.RawFrame;
import java.io.IOException;
import java.time.Duration;

/**
 * The raw peer's end of one connection to the endpoint under test, already upgraded, as {@link
 * CaseRunner} drives it: bytes go out exactly as given (the runner masks, or not, by role), and
 * frames come back in arrival order, followed by how the connection ended.
 *
 * <p>Implementations read on a thread of their own ({@link FrameInbox} does that for a socket),
 * so that {@link #poll} sees frames that arrive while the test thread writes or sleeps.
 */
public interface PeerConnection extends AutoCloseable {

  /** How the connection ended, as the peer sees it. */
  enum EndKind {
    /** The endpoint closed its side cleanly (end of stream between frames). */
    EOF,
    /** The stream ended inside a frame. */
    TRUNCATED,
    /** The connection was reset (or failed otherwise). */
    RESET,
    /** The peer closed it first. */
    CLOSED_HERE,
    /** Nothing arrived for the reader's idle limit. */
    IDLE
  }

  /** What the peer's reader saw: a frame, or the end. */
  sealed interface Inbound permits Received, Ended {}

  record Received(RawFrame frame) implements Inbound {}

  record Ended(EndKind kind, String detail) implements Inbound {}

  /** Writes {@code length} bytes from {@code offset} as one write, flushed. */
  void write(byte[] bytes, int offset, int length) throws IOException;

  default void write(byte[] bytes) throws IOException {
    write(bytes, 0, bytes.length);
  }

  /** The next frame or the end within {@code timeout}, or null if nothing came. */
  Inbound poll(Duration timeout) throws InterruptedException;

  /** Sends a FIN: the peer writes nothing more, but keeps reading. */
  void shutdownOutput() throws IOException;

  @Override
  void close() throws Exception;
}
