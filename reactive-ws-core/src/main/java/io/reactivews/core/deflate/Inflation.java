package io.reactivews.core.deflate;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.deflate.ZlibPool.InflaterSlot;
import java.util.zip.DataFormatException;

/**
 * The {@code Inflater} of one connection's inbound messages. When the peer resets its context
 * after each message, one is borrowed from the pool when a compressed message starts and given
 * back when it ends, so an idle connection holds none; otherwise the connection owns one from its
 * first compressed message to {@link #release()}. Every call takes the lock, so the release at
 * the close (from any thread) never ends a stream that is in use.
 */
final class Inflation {

  private final boolean pooled;
  private InflaterSlot slot; // guarded by "this"
  private boolean released; // guarded by "this"

  Inflation(boolean pooled) {
    this.pooled = pooled;
  }

  /** A message starts: the array to inflate into, valid until {@link #endMessage}. */
  synchronized byte[] begin() {
    checkOpen();
    if (slot == null) {
      slot = pooled ? ZlibPool.inflater() : new InflaterSlot();
    }
    return slot.scratch;
  }

  synchronized void setInput(byte[] input, int offset, int length) {
    checkOpen();
    slot.inflater.setInput(input, offset, length);
  }

  /** Inflates into {@code out}; 0 when more input is needed or the stream ended. */
  synchronized int inflate(byte[] out, int offset, int length) {
    checkOpen();
    try {
      return slot.inflater.inflate(out, offset, length);
    } catch (DataFormatException e) {
      throw WebSocketException.invalidPayload("invalid compressed data: " + e.getMessage());
    }
  }

  /** The message ended: a pooled stream goes back, a final block forces a fresh start. */
  synchronized void endMessage() {
    if (slot == null) {
      return;
    }
    if (pooled) {
      ZlibPool.release(slot);
      slot = null;
    } else if (slot.inflater.finished()) {
      slot.inflater.reset(); // a block marked final ends the stream: the next message is new
    }
  }

  /** The connection is done: the stream goes back to the pool, or is ended; idempotent. */
  synchronized void release() {
    released = true;
    if (slot != null) {
      if (pooled) {
        ZlibPool.release(slot);
      } else {
        slot.inflater.end();
      }
      slot = null;
    }
  }

  /** Whether a stream is held now: for tests of what an idle connection keeps. */
  synchronized boolean holdsStream() {
    return slot != null;
  }

  private void checkOpen() {
    if (released) {
      throw new IllegalStateException("the connection's inflater was released");
    }
  }
}
