package io.reactivews.core.deflate;

import io.reactivews.core.WebSocketException;
import io.reactivews.core.flow.Transducer;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.Opcode;
import java.util.Arrays;

/**
 * Inflates compressed messages between the frame decoder and the message assembler (RFC 7692
 * section 7.2.2): pieces of frames in, frames out. A message whose first frame has RSV1 comes
 * out as a fragmented message of inflated pieces (at most one per input piece, so UTF-8 is still
 * checked as bytes arrive); the {@code 00 00 ff ff} tail is appended once its last frame ends.
 * Uncompressed messages and control frames pass through untouched.
 *
 * <p>Limits count inflated bytes as they are produced: no call inflates more than one byte past
 * what the message limit (and the frame limit, for the current frame) still allows, so a bomb
 * fails with 1009 having produced at most the limit, whatever its ratio. Errors: 1002 for RSV1 on
 * a continuation frame, 1007 for data that does not inflate, 1009 past a limit.
 *
 * <p>Single-threaded, as a {@link Transducer.Stage}; the inflater is released by whoever ends
 * the subscription.
 */
final class FrameInflater implements Transducer.Stage<Frame, Frame> {

  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private final Inflation inflation;
  private final long maxFrameSize;
  private final long maxMessageSize;
  private final CompressionCounters stats;

  private boolean inMessage;
  private boolean compressed;
  private Opcode opcode;
  private boolean emitted;
  private long messageSize;
  private long frameSize;
  private long wireSize;
  private byte[] scratch;
  private int filled;

  FrameInflater(Inflation inflation, long maxFrameSize, long maxMessageSize,
      CompressionCounters stats) {
    this.inflation = inflation;
    this.maxFrameSize = maxFrameSize;
    this.maxMessageSize = maxMessageSize;
    this.stats = stats;
  }

  @Override
  public void onInput(Frame frame, Transducer.Emitter<Frame> out) {
    if (frame.opcode().isControl()) {
      out.emit(frame);
      return;
    }
    if (frame.startsFrame()) {
      startFrame(frame);
    }
    boolean messageEnds = frame.fin() && frame.endsFrame();
    if (!compressed) {
      if (messageEnds) {
        inMessage = false;
      }
      out.emit(frame);
      return;
    }
    wireSize += frame.length();
    inflate(frame.array(), frame.arrayOffset(), frame.length(), out);
    if (messageEnds) {
      inflate(TAIL, 0, TAIL.length, out);
      endMessage(out);
    } else if (filled > 0) {
      flush(out, false);
    }
  }

  private void startFrame(Frame frame) {
    Opcode op = frame.opcode();
    boolean rsv1 = (frame.rsv() & FrameHeader.RSV1) != 0;
    frameSize = 0;
    if (op == Opcode.CONTINUATION) {
      if (rsv1) {
        throw WebSocketException.protocolError(
            "RSV1 set on a continuation frame: only a message's first frame may carry it");
      }
      return; // nothing to continue is the assembler's to judge
    }
    if (inMessage) {
      throw WebSocketException.protocolError(op + " frame inside a fragmented message");
    }
    inMessage = true;
    compressed = rsv1;
    if (rsv1) {
      opcode = op;
      emitted = false;
      messageSize = 0;
      wireSize = 0;
      filled = 0;
      scratch = inflation.begin();
    }
  }

  private void inflate(byte[] input, int offset, int length, Transducer.Emitter<Frame> out) {
    inflation.setInput(input, offset, length);
    for (; ; ) {
      if (filled == scratch.length) {
        flush(out, false);
      }
      long allowed = Math.min(maxMessageSize - messageSize, maxFrameSize - frameSize);
      int room = (int) Math.min(scratch.length - filled, allowed + 1);
      int n = inflation.inflate(scratch, filled, room);
      if (n == 0) {
        return; // needs input, or a final block ended the stream
      }
      filled += n;
      messageSize += n;
      frameSize += n;
      if (messageSize > maxMessageSize) {
        throw WebSocketException.tooBig("compressed message inflates past the limit of "
            + maxMessageSize + " bytes");
      }
      if (frameSize > maxFrameSize) {
        throw WebSocketException.tooBig("compressed frame inflates past the limit of "
            + maxFrameSize + " bytes");
      }
    }
  }

  private void flush(Transducer.Emitter<Frame> out, boolean fin) {
    out.emit(piece(fin));
  }

  /** What was inflated since the last piece, copied out of the borrowed array. */
  private Frame piece(boolean fin) {
    byte[] piece = Arrays.copyOf(scratch, filled);
    filled = 0;
    Opcode op = emitted ? Opcode.CONTINUATION : opcode;
    emitted = true;
    return Frame.of(fin, 0, op, piece);
  }

  private void endMessage(Transducer.Emitter<Frame> out) {
    inMessage = false;
    compressed = false;
    long inflated = messageSize;
    long wire = wireSize;
    Frame last = piece(true);
    scratch = null;
    inflation.endMessage(); // the array may go to another connection now: copied out first
    stats.received(wire, inflated);
    out.emit(last);
  }
}
