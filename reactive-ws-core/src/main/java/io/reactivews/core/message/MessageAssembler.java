package io.reactivews.core.message;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.flow.Condenser;
import io.reactivews.core.flow.Transducer;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.internal.PreparedMessage;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Joins frames into messages: {@code Flux<Frame> -> Flux<Message>} (RFC 6455 section 5.4), to be
 * used with {@code transform}. Immutable: each setter returns a copy.
 *
 * <pre>{@code
 * Flux<Message> messages = frames.transform(
 *     MessageAssembler.create().maxMessageSize(1 << 20).onControlFrame(session::handleControl));
 * }</pre>
 *
 * <pre>
 * frames:    --TEXT(fin=0) 'Hel'--PING--CONT(fin=1) 'lo'--CLOSE-------
 * control:                        PING                    CLOSE
 * messages:  ----------------------------------'Hello'----------|
 * </pre>
 *
 * <p>Control frames may arrive between fragments; they are handed, in order, to the control
 * handler on the thread that delivered them. A close frame ends the stream of messages (nothing
 * may follow it) and cancels upstream.
 *
 * <p>A single-frame message costs no copy: the decoder's array for the frame, checked in place,
 * becomes the message's. Fragmented messages are copied into one array as their frames arrive.
 * A frame the decoder pooled (see {@code FrameDecoder.pooling}) becomes a message that keeps its
 * buffer, for the {@code send()} that takes it; it is released here if it fails a check.
 *
 * <p>Text is checked as UTF-8 piece by piece, so an invalid sequence fails at the piece that
 * contains its first bad byte, even in the middle of a frame; a message that stops inside a
 * character fails when its final frame ends. The size limit is checked from each frame's header
 * before its payload is buffered.
 *
 * <p>Errors (a {@link WebSocketException}), after the messages before them: 1002 for a
 * continuation frame with nothing to continue or a new data frame inside a fragmented message;
 * 1007 for invalid UTF-8; 1009 for a message over the limit; 1006 when input ends inside a
 * fragmented message. Demand: requests for messages pass upstream as requests for as many frames,
 * and a frame that completes no message is replaced by a request for one more, so a subscriber
 * that stops requesting stops the frames (a {@link Condenser}: no queue, no atomics per frame).
 */
public final class MessageAssembler implements Function<Flux<Frame>, Flux<Message>> {

  /** A message may carry 1 MiB unless configured otherwise. */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 1L << 20;

  private static final Consumer<Frame> IGNORE = frame -> {};

  /**
   * Where pooled text is copied, a slice at a time, to be checked as UTF-8. Each slice's first
   * and last few dozen bytes are checked byte by byte (where a character may straddle the cut),
   * at a third of the vectors' speed: 16 KiB slices spend a quarter of what 4 KiB ones did
   * there, and still fit in the core's first-level cache.
   */
  private static final FastThreadLocal<byte[]> UTF8_SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[16 * 1024];
    }
  };

  private final long maxMessageSize;
  private final Consumer<Frame> controlFrames;

  private MessageAssembler(long maxMessageSize, Consumer<Frame> controlFrames) {
    this.maxMessageSize = maxMessageSize;
    this.controlFrames = controlFrames;
  }

  /** An assembler with the default size limit that ignores control frames. */
  public static MessageAssembler create() {
    return new MessageAssembler(DEFAULT_MAX_MESSAGE_SIZE, IGNORE);
  }

  /** The largest message accepted, in payload bytes; larger ones fail with 1009. */
  public MessageAssembler maxMessageSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("max message size must not be negative: " + bytes);
    }
    return new MessageAssembler(bytes, controlFrames);
  }

  /** Where ping, pong and close frames go, in the order they arrive. */
  public MessageAssembler onControlFrame(Consumer<Frame> handler) {
    return new MessageAssembler(maxMessageSize, Objects.requireNonNull(handler, "handler"));
  }

  public long maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public Flux<Message> apply(Flux<Frame> frames) {
    return Condenser.apply(frames, () -> new Assembly(maxMessageSize, controlFrames));
  }

  /** The state of one subscription: the message being assembled, if any. */
  private static final class Assembly implements Transducer.Stage<Frame, Message> {

    private final long maxMessageSize;
    private final Consumer<Frame> controlFrames;
    /** Made at the first text message: an idle or binary-only connection needs none. */
    private Utf8Validator utf8;

    private Message.Type type;
    private long size;
    private PayloadBuffer buffer;
    /** A single-frame message's array, holding the frame up to the last piece. */
    private byte[] frameSoFar;

    Assembly(long maxMessageSize, Consumer<Frame> controlFrames) {
      this.maxMessageSize = maxMessageSize;
      this.controlFrames = controlFrames;
    }

    @Override
    public void onInput(Frame frame, Transducer.Emitter<Message> out) {
      Opcode opcode = frame.opcode();
      if (opcode.isControl()) {
        controlFrames.accept(frame);
        if (opcode == Opcode.CLOSE) {
          out.complete();
        }
        return;
      }
      ByteBuf pooled = frame.buffer();
      if (pooled != null) {
        onPooledPiece(frame, pooled, out);
        return;
      }
      if (frame.startsFrame()) {
        startFrame(frame);
      }
      byte[] array = frame.array();
      int at = frame.arrayOffset();
      int n = frame.length();
      if (type == Message.Type.TEXT) {
        int bad = utf8.feed(array, at, n);
        if (bad >= 0) {
          throw WebSocketException.invalidPayload(
              "invalid UTF-8 at byte "
                  + (size - frame.header().payloadLength() + frame.offset() + bad - at)
                  + " of a text message");
        }
      }
      boolean messageEnds = frame.fin() && frame.endsFrame();
      if (buffer == null && frame.fin() && frame.arrayHoldsFrame()) {
        // A single-frame message: the decoder fills one array with the frame, so the last
        // piece's array is the message, kept as it is.
        if (messageEnds) {
          int length = (int) frame.header().payloadLength();
          frameSoFar = null;
          finish(out, array.length == length ? array : Arrays.copyOf(array, length));
        } else {
          frameSoFar = array;
        }
        return;
      }
      if (buffer == null) {
        buffer = new PayloadBuffer(frame.fin() ? frame.header().payloadLength() : 1024);
        if (frame.fin() && !frame.startsFrame()) {
          // A piece in an array of its own: the frame so far is in the earlier pieces' array.
          buffer.append(frameSoFar, 0, (int) frame.offset());
          frameSoFar = null;
        }
      }
      buffer.append(array, at, n);
      if (messageEnds) {
        byte[] bytes = buffer.take();
        buffer = null;
        finish(out, bytes);
      }
    }

    /**
     * A piece of a pooled frame, which is a whole message (the decoder pools no fragment): the
     * last piece's buffer becomes the message's, or is released if a check fails.
     */
    private void onPooledPiece(Frame frame, ByteBuf pooled, Transducer.Emitter<Message> out) {
      Message message;
      try {
        if (frame.startsFrame()) {
          startFrame(frame);
        }
        if (type == Message.Type.TEXT) {
          int bad = feedUtf8(pooled, frame.arrayOffset(), frame.length());
          if (bad >= 0) {
            throw WebSocketException.invalidPayload("invalid UTF-8 at byte "
                + (frame.offset() + bad - frame.arrayOffset()) + " of a text message");
          }
        }
        if (!frame.endsFrame()) {
          return;
        }
        checkComplete();
        int head = frame.arrayOffset() - (int) frame.offset();
        message = Message.pooled(type, PreparedMessage.adopt(pooled, frame.opcode(), head));
      } catch (RuntimeException e) {
        if (frame.endsFrame()) {
          pooled.release();
        }
        throw e;
      }
      type = null;
      size = 0;
      out.emit(message);
    }

    /** {@link Utf8Validator#feed} over a buffer: the index in it of the first bad byte, or -1. */
    private int feedUtf8(ByteBuf bytes, int index, int length) {
      if (bytes.hasArray()) {
        int bad = utf8.feed(bytes.array(), bytes.arrayOffset() + index, length);
        return bad < 0 ? -1 : bad - bytes.arrayOffset();
      }
      byte[] slice = UTF8_SCRATCH.get();
      for (int done = 0; done < length; ) {
        int n = Math.min(slice.length, length - done);
        bytes.getBytes(index + done, slice, 0, n);
        int bad = utf8.feed(slice, 0, n);
        if (bad >= 0) {
          return index + done + bad;
        }
        done += n;
      }
      return -1;
    }

    private void startFrame(Frame frame) {
      Opcode opcode = frame.opcode();
      if (opcode == Opcode.CONTINUATION) {
        if (type == null) {
          throw WebSocketException.protocolError("continuation frame with no message to continue");
        }
      } else {
        if (type != null) {
          throw WebSocketException.protocolError(
              opcode + " frame inside a fragmented " + type + " message");
        }
        type = opcode == Opcode.TEXT ? Message.Type.TEXT : Message.Type.BINARY;
        size = 0;
        if (type == Message.Type.TEXT && utf8 == null) {
          utf8 = new Utf8Validator();
        }
      }
      size += frame.header().payloadLength();
      // A message lives in one array, so no configured limit can go past what an array holds.
      long limit = Math.min(maxMessageSize, PayloadBuffer.MAX_SIZE);
      if (size > limit) {
        throw WebSocketException.tooBig(
            "message of " + size + " bytes or more exceeds the limit of " + limit);
      }
    }

    private void finish(Transducer.Emitter<Message> out, byte[] bytes) {
      checkComplete();
      Message message = Message.adopt(type, bytes);
      type = null;
      size = 0;
      out.emit(message);
    }

    /** A text message must not end inside a character; resets the validator for the next. */
    private void checkComplete() {
      if (type == Message.Type.TEXT) {
        if (!utf8.isComplete()) {
          throw WebSocketException.invalidPayload("text message ends inside a UTF-8 sequence");
        }
        utf8.reset();
      }
    }

    @Override
    public void onEnd(Transducer.Emitter<Message> out) {
      if (type != null) {
        throw new WebSocketException(
            CloseStatus.ABNORMAL_CLOSURE,
            "connection ended in the middle of a fragmented message");
      }
    }
  }
}
