package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.flow.Transducer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Turns network bytes into frames: {@code Flux<ByteBuf> -> Flux<Frame>}, to be used with {@code
 * transform}. Immutable: each setter returns a copy.
 *
 * <pre>{@code
 * Flux<Frame> frames = connection.inbound().receive()
 *     .transform(FrameDecoder.forRole(Role.SERVER).maxFrameSize(1 << 20));
 * }</pre>
 *
 * <pre>
 * bytes:   --[81 05 'He']--[llo' 89 00]----------|
 * frames:  --TEXT 'He'-----TEXT 'llo'--PING------|   (a data frame arrives in pieces)
 * </pre>
 *
 * <p>Frames may be split across any number of buffers and many may share one buffer. Data
 * frames come out in pieces as their bytes arrive, windows on one array per frame (see {@link
 * Frame#arrayHoldsFrame()}); control frames come out whole.
 *
 * <p>Demand-driven: one buffer is requested at a time, and only once every frame decoded from
 * the previous one has been delivered; with no downstream demand it holds at most one read's
 * worth of decoded frames and reads nothing more.
 *
 * <p>Buffers are borrowed, as Reactor Netty lends them: the decoder copies (and unmasks) what it
 * needs during {@code onNext} and keeps no reference, so nothing it does can leak a buffer; the
 * source releases each one after {@code onNext} returns, on every path. The one exception is a
 * decoder told to {@linkplain #pooling pool}: it unmasks such frames in place in the read and
 * keeps retained slices of it, which the frame's taker releases (or the decoder, on a cancel).
 *
 * <p>Errors, delivered after the frames before them: a {@link WebSocketException} with 1002 for
 * a reserved opcode, reserved bits no extension claimed, a fragmented or oversized control frame,
 * a 64-bit length with the top bit set, or a frame masked the wrong way for the role; 1009 for a
 * frame over the size limit (detected from the header, before the payload is read); 1006 when
 * the input ends inside a frame. Upstream is cancelled at the error.
 */
public final class FrameDecoder implements Function<Flux<ByteBuf>, Flux<Frame>> {

  /** A frame may carry 1 MiB unless configured otherwise. */
  public static final long DEFAULT_MAX_FRAME_SIZE = 1L << 20;

  private final Role role;
  private final long maxFrameSize;
  private final int allowedRsv;
  private final BooleanSupplier pooling;

  private FrameDecoder(Role role, long maxFrameSize, int allowedRsv, BooleanSupplier pooling) {
    this.role = role;
    this.maxFrameSize = maxFrameSize;
    this.allowedRsv = allowedRsv;
    this.pooling = pooling;
  }

  /**
   * A decoder for frames received by {@code role}: a server requires masks, a client forbids
   * them.
   */
  public static FrameDecoder forRole(Role role) {
    return new FrameDecoder(role, DEFAULT_MAX_FRAME_SIZE, 0, null);
  }

  /** The largest frame payload accepted; larger frames fail with 1009. */
  public FrameDecoder maxFrameSize(long bytes) {
    if (bytes < 125) {
      throw new IllegalArgumentException("max frame size must be at least 125: " + bytes);
    }
    return new FrameDecoder(role, bytes, allowedRsv, pooling);
  }

  /**
   * RSV bits that a negotiated extension gives meaning to on data frames, as {@link
   * FrameHeader#RSV1} and so on. Control frames may never set them.
   */
  public FrameDecoder allowRsv(int bits) {
    if (bits < 0 || bits > 7) {
      throw new IllegalArgumentException("rsv bits must be 0-7: " + bits);
    }
    return new FrameDecoder(role, maxFrameSize, bits, pooling);
  }

  /**
   * Reads each unfragmented data frame without extension bits into a pooled buffer while {@code
   * when} says so, asked at each frame's head (see {@link Frame#buffer()}): for a session whose
   * messages go straight to a send(). Whoever takes a frame's last piece owns its buffer; pieces
   * dropped unread (a cancel) are released here.
   */
  public FrameDecoder pooling(BooleanSupplier when) {
    return new FrameDecoder(role, maxFrameSize, allowedRsv, when);
  }

  public Role role() {
    return role;
  }

  public long maxFrameSize() {
    return maxFrameSize;
  }

  @Override
  public Flux<Frame> apply(Flux<ByteBuf> bytes) {
    return Transducer.apply(bytes,
        () -> new ParsingStage(role.expectsMaskedInbound(), maxFrameSize, allowedRsv, pooling));
  }

  /**
   * One connection's parser as a transducer stage: the parser itself, and its own frame sink, so
   * that an idle connection keeps one object for its decoding, not a parser, a stage around it,
   * the decoder and a lambda.
   */
  private static final class ParsingStage extends FrameParser
      implements Transducer.Stage<ByteBuf, Frame>, Consumer<Frame> {
    private Transducer.Emitter<Frame> emitter;

    ParsingStage(boolean expectMasked, long maxFrameSize, int allowedRsv,
        BooleanSupplier pooling) {
      super(expectMasked, maxFrameSize, allowedRsv, pooling);
    }

    @Override
    public void onInput(ByteBuf input, Transducer.Emitter<Frame> out) {
      emitter = out;
      parse(input, this);
    }

    @Override
    public void accept(Frame frame) {
      emitter.emit(frame);
    }

    @Override
    public void discard(Frame frame) {
      if (frame.buffer() != null && frame.endsFrame()) {
        frame.buffer().release();
      }
    }

    @Override
    public void onEnd(Transducer.Emitter<Frame> out) {
      if (!atFrameBoundary()) {
        throw new WebSocketException(
            CloseStatus.ABNORMAL_CLOSURE, "connection ended in the middle of a frame");
      }
    }
  }
}
