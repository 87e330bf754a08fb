package io.reactivews.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ReferenceCounted;
import io.reactivews.core.Role;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.deflate.SharedFrames;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.message.Message;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A message encoded once as a server frame, to be written to many sessions: a server's frames are
 * unmasked (RFC 6455 section 5.1), so their bytes are the same for every connection, and one
 * network buffer can be written everywhere instead of encoding the message per session.
 *
 * <p><b>Ownership.</b> This is reference-counted like the buffer it holds, and the creator owns
 * one reference. Whoever keeps it for later (a queue) takes a reference with {@link #retain()};
 * whoever hands it on gives that reference away; whoever drops it calls {@link #release()}. A
 * session given one through {@link WebSocketSession#sendPrepared} takes over the reference: it
 * writes a retained duplicate of the frame (own indices, same memory) and releases its
 * reference, or releases it unwritten when the session closes first.
 *
 * <p>A client must mask every frame with a fresh key (section 5.3), so a client session cannot
 * share the frame: it encodes a frame of its own, masking the payload straight from the shared
 * frame into its network buffer.
 *
 * <pre>{@code
 * PreparedMessage score = PreparedMessage.of(Message.text(json), alloc); // one encode
 * // ... each session's queue retains it and releases or writes it ...
 * score.release();                                                       // the creator's reference
 * }</pre>
 *
 * <p>Sessions that negotiated permessage-deflate without context takeover on our side share a
 * compressed frame too: the first one to write compresses the message once for its compressor
 * shape, and every later one writes the same bytes. The compressed frames are released when
 * the last reference that could still write is (written duplicates hold their own).
 *
 * <p>Thread-safe: the frame is never written to after encoding, and each write reads through its
 * own duplicate.
 */
public final class PreparedMessage implements ReferenceCounted {

  private static final FrameEncoder SERVER = FrameEncoder.forRole(Role.SERVER);

  private final ByteBuf frame;
  private final Opcode opcode;
  private final int headerLength;
  private final boolean compressionAllowed;
  /**
   * References that may still write (the creator's and the queues'), unlike those the written
   * duplicates hold: when none is left, no session can ask for a compressed frame again, and
   * those are released, whoever still holds the plain frame.
   */
  private volatile int holders = 1;
  // A field and an updater, not an AtomicInteger: one object less per message.
  private static final AtomicIntegerFieldUpdater<PreparedMessage> HOLDERS =
      AtomicIntegerFieldUpdater.newUpdater(PreparedMessage.class, "holders");
  /** Compressed frames, made when a compressing session first writes; guarded by "this". */
  private SharedFrames compressed;

  private PreparedMessage(ByteBuf frame, Opcode opcode, int headerLength,
      boolean compressionAllowed) {
    this.frame = frame;
    this.opcode = opcode;
    this.headerLength = headerLength;
    this.compressionAllowed = compressionAllowed;
  }

  /** Encodes {@code message} as one unmasked, final frame in a buffer from {@code alloc}. */
  public static PreparedMessage of(Message message, ByteBufAllocator alloc) {
    Objects.requireNonNull(message, "message");
    ByteBuf frame = message.encode(Objects.requireNonNull(alloc, "alloc"), SERVER);
    return new PreparedMessage(frame, message.opcode(), frame.readableBytes() - message.size(),
        message.compressionAllowed());
  }

  /**
   * Takes over {@code frame}, one final, unmasked frame whose head takes {@code headLength}
   * bytes (as a decoder pools a frame for a relay): the caller's reference becomes the creator's.
   */
  public static PreparedMessage adopt(ByteBuf frame, Opcode opcode, int headLength) {
    return new PreparedMessage(Objects.requireNonNull(frame, "frame"), opcode, headLength, true);
  }

  public Opcode opcode() {
    return opcode;
  }

  /** Payload bytes. */
  public int size() {
    return frame.readableBytes() - headerLength;
  }

  /** Bytes on the wire, header included: what each holder keeps alive. */
  public int frameSize() {
    return frame.readableBytes();
  }

  /** A copy of the message, decoded from the frame; valid while a reference is held. */
  public Message message() {
    byte[] payload = ByteBufUtil.getBytes(frame, headerLength, size());
    return opcode == Opcode.TEXT ? Message.textUtf8(payload) : Message.binary(payload);
  }

  /**
   * Whether {@code written} reads the memory of this frame: true for what an unmasking session
   * wrote, false for a client's own encoding. For tests and metrics; no reference is taken.
   */
  public boolean isFrameOf(ByteBuf written) {
    return root(written) == root(frame);
  }

  private static ByteBuf root(ByteBuf buf) {
    ByteBuf b = buf;
    while (b.unwrap() != null) {
      b = b.unwrap();
    }
    return b;
  }

  /**
   * Gives one reference away as a buffer to write with {@code encoder}: the shared frame when the
   * encoder does not mask, a fresh masked frame otherwise. The caller owns the result.
   */
  public ByteBuf writeWith(FrameEncoder encoder, ByteBufAllocator alloc) {
    if (!encoder.masks() && holders == 1) {
      // The last holder that could write (a relayed frame's only one, a broadcast's last
      // viewer): nobody can ask for the frame again, so the frame itself goes, not a duplicate.
      // Only a holder can retain, so the count cannot rise meanwhile.
      freed(false, 1);
      return frame;
    }
    try {
      return plainFrame(encoder, alloc);
    } finally {
      release(); // the compressed frames go with the last reference
    }
  }

  /** The uncompressed frame for {@code encoder}: the shared one, or a fresh masked one. */
  private ByteBuf plainFrame(FrameEncoder encoder, ByteBufAllocator alloc) {
    if (!encoder.masks()) {
      return frame.retainedDuplicate();
    }
    return encoder.encode(alloc, true, 0, opcode, frame, frame.readerIndex() + headerLength,
        size());
  }

  /**
   * As {@link #writeWith(FrameEncoder, ByteBufAllocator)}, for a session that negotiated
   * permessage-deflate: the shared compressed frame of its shape (see {@link SharedFrames}), a
   * frame compressed by the session itself when it keeps context, or the plain frame for a
   * message it does not compress or that does not shrink.
   */
  public ByteBuf writeWith(FrameEncoder encoder, ByteBufAllocator alloc, PerMessageDeflate deflate) {
    int size = size();
    if (!deflate.compresses(size, compressionAllowed)) {
      return writeWith(encoder, alloc);
    }
    try {
      ByteBuf compressed =
          sharedFrames().write(deflate, opcode, this::payloadBuffer, size, encoder, alloc);
      return compressed != null ? compressed : plainFrame(encoder, alloc);
    } finally {
      release(); // the compressed frames go with the last reference that could write
    }
  }

  private synchronized SharedFrames sharedFrames() {
    if (compressed == null) {
      compressed = new SharedFrames();
    }
    return compressed;
  }

  private ByteBuffer payloadBuffer() {
    return frame.nioBuffer(frame.readerIndex() + headerLength, size());
  }

  /** Frees the compressed frames once no holder is left: nobody can write them any more. */
  private boolean freed(boolean released, int decrement) {
    if (HOLDERS.addAndGet(this, -decrement) == 0) {
      SharedFrames frames;
      synchronized (this) {
        frames = compressed;
        compressed = null;
      }
      if (frames != null) {
        frames.release();
      }
    }
    return released;
  }

  /** How many compressed frames were made for this message: for tests and metrics. */
  public synchronized int compressedFrames() {
    return compressed == null ? 0 : compressed.count();
  }

  /** Whether {@code written} reads the memory of one of the compressed frames. */
  public synchronized boolean isCompressedFrameOf(ByteBuf written) {
    return compressed != null && compressed.holds(written);
  }

  @Override
  public int refCnt() {
    return frame.refCnt();
  }

  @Override
  public PreparedMessage retain() {
    frame.retain();
    HOLDERS.incrementAndGet(this);
    return this;
  }

  @Override
  public PreparedMessage retain(int increment) {
    frame.retain(increment);
    HOLDERS.addAndGet(this, increment);
    return this;
  }

  @Override
  public PreparedMessage touch() {
    frame.touch();
    return this;
  }

  @Override
  public PreparedMessage touch(Object hint) {
    frame.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return freed(frame.release(), 1);
  }

  @Override
  public boolean release(int decrement) {
    return freed(frame.release(decrement), decrement);
  }

  @Override
  public String toString() {
    return "PreparedMessage[" + opcode + " " + size() + " bytes, refCnt " + refCnt() + "]";
  }
}
