package io.reactivews.core.deflate;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.flow.Transducer;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.message.Message;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * permessage-deflate as one session runs it once negotiated (RFC 7692 section 7.2): the stage
 * that inflates inbound messages, the encoding of outbound ones with RSV1 on their single frame,
 * the counters, and the zlib memory it holds, released by {@link #release()} when the
 * connection ends, on every path.
 *
 * <pre>
 * FrameDecoder.allowRsv(RSV1) -> inflating(...) -> MessageAssembler      (inbound)
 * OutboundQueue: message -> encode(message, encoder, alloc) -> transport  (outbound)
 * </pre>
 *
 * <p>Messages under the threshold and messages marked {@link Message#withoutCompression()} go
 * out plain: RFC 7692 lets every message choose. When our compressor keeps no context, a
 * compressed frame depends only on the message and {@link #sharedShape()}, so a broadcast
 * compresses once for all sessions of the same shape (see {@code PreparedMessage}).
 *
 * <p>Thread-safe; its zlib streams are locked while in use.
 */
public final class PerMessageDeflate {

  private final DeflateParameters agreed;
  private final Compressor compressor;
  private final Inflation inflation;
  private final CompressionCounters stats;
  private final int threshold;

  private PerMessageDeflate(DeflateParameters agreed, Compressor compressor,
      Inflation inflation, CompressionCounters stats, int threshold) {
    this.agreed = agreed;
    this.compressor = compressor;
    this.inflation = inflation;
    this.stats = stats;
    this.threshold = threshold;
  }

  /**
   * The extension for one end of a connection, as negotiated.
   *
   * @param stats where this session counts, such as {@code serverStats.child()}
   */
  public static PerMessageDeflate of(Role role, DeflateParameters agreed, DeflateOptions options,
      CompressionCounters stats) {
    Objects.requireNonNull(agreed, "agreed");
    boolean resets = DeflateNegotiation.resetsAfterEachMessage(role, agreed, options);
    boolean huffmanOnly = DeflateNegotiation.limitsWindow(role, agreed);
    Compressor compressor =
        new Compressor(ZlibPool.shape(options.level(), huffmanOnly), resets);
    Inflation inflation = new Inflation(DeflateNegotiation.peerResets(role, agreed));
    return new PerMessageDeflate(agreed, compressor, inflation,
        Objects.requireNonNull(stats, "stats"), options.threshold());
  }

  public DeflateParameters parameters() {
    return agreed;
  }

  public CompressionCounters stats() {
    return stats;
  }

  /** The reserved bit the frame decoder must let through on data frames. */
  public int rsvBits() {
    return FrameHeader.RSV1;
  }

  /**
   * The inbound stage, {@code Flux<Frame> -> Flux<Frame>}: compressed messages come out
   * inflated as fragmented messages, within the limits; the inflater is released when the
   * stream ends, fails or is cancelled.
   */
  public Function<Flux<Frame>, Flux<Frame>> inflating(long maxFrameSize, long maxMessageSize) {
    return frames -> Transducer.apply(frames,
            () -> new FrameInflater(inflation, maxFrameSize, maxMessageSize, stats))
        .doFinally(signal -> inflation.release());
  }

  /** Whether {@code message} goes out compressed. */
  public boolean compresses(Message message) {
    return compresses(message.size(), message.compressionAllowed());
  }

  /** Whether a message of {@code size} bytes goes out compressed, unless opted out. */
  public boolean compresses(int size, boolean compressionAllowed) {
    return compressionAllowed && size >= threshold;
  }

  /**
   * Encodes one message as a single frame: compressed with RSV1 if {@link #compresses} and it
   * shrinks, else plain. The caller owns the buffer.
   */
  public ByteBuf encode(Message message, FrameEncoder encoder, ByteBufAllocator alloc) {
    if (!compresses(message)) {
      return message.encode(alloc, encoder);
    }
    ByteBuf frame = encodeCompressed(message.opcode(), message.payload(), encoder, alloc);
    return frame != null ? frame : message.encode(alloc, encoder);
  }

  /**
   * Compresses the remaining bytes of {@code payload} with this session's compressor into one
   * final frame with RSV1, encoded by {@code encoder}; null when compression did not shrink it
   * (send it plain). The caller owns the buffer.
   */
  public ByteBuf encodeCompressed(Opcode opcode, ByteBuffer payload, FrameEncoder encoder,
      ByteBufAllocator alloc) {
    int size = payload.remaining();
    stats.compressorRan();
    return compressor.compress(payload, (bytes, n) -> {
      stats.sent(size, n);
      return encoder.encode(alloc, true, FrameHeader.RSV1, opcode, bytes, 0, n);
    });
  }

  /**
   * The shape of our compressed frames, equal for sessions whose frames are interchangeable, or
   * -1 when our compressor keeps context and each session must compress for itself.
   */
  public int sharedShape() {
    return compressor.resets() ? compressor.shape() : -1;
  }

  /**
   * Compresses a payload once for every session of this {@link #sharedShape()}, as an unmasked,
   * final frame with RSV1 in a new buffer that the caller owns; null when compression did not
   * shrink it (send it plain).
   */
  public ByteBuf compressShared(Opcode opcode, ByteBuffer payload, ByteBufAllocator alloc) {
    FrameEncoder server = SERVER_FRAMES;
    stats.compressorRan();
    return Compressor.compressOnce(compressor.shape(), payload,
        (bytes, n) -> server.encode(alloc, true, FrameHeader.RSV1, opcode, bytes, 0, n));
  }

  /** Counts a message sent as a frame compressed for many sessions. */
  public void countShared(int uncompressed, int compressed) {
    stats.sent(uncompressed, compressed);
  }

  /** Frees this connection's zlib memory now; idempotent, and later use fails. */
  public void release() {
    compressor.release();
    inflation.release();
  }

  /** Whether an inflater is held now; an idle connection in the default mode holds none. */
  public boolean holdsInflater() {
    return inflation.holdsStream();
  }

  private static final FrameEncoder SERVER_FRAMES = FrameEncoder.forRole(Role.SERVER);

  @Override
  public String toString() {
    return "PerMessageDeflate[" + agreed + "]";
  }
}
