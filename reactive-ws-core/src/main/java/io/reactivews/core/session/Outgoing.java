package io.reactivews.core.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.message.Message;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One thing waiting in a session's outbound queue, and whose account it is on. The four kinds
 * are all there is: a control frame, a message from the sink ({@code tryEmit}), and a message or
 * prepared message from a {@code send()} source.
 *
 * <p>Whoever takes an entry off the queue calls {@link #settle()} once, then either {@link
 * #encode} (to write it, and {@link #encodeFailed} if that throws) or {@link #discard} (to drop
 * it). A prepared message's entry owns one reference, which goes with the written buffer or is
 * released by {@code discard}. Entries are immutable; the queue's drain loop, one thread at a
 * time, is what settles, writes and drops them.
 */
sealed interface Outgoing {

  /** Whether it goes ahead of messages: a ping or a pong. */
  boolean urgent();

  /** Its payload in bytes, for meters; 0 for a control frame. */
  int size();

  /** Takes it off its account: the sink's budget or its source's outstanding count. */
  void settle();

  /** The buffer to write, compressed by {@code deflate} unless it is null; the caller owns it. */
  ByteBuf encode(FrameEncoder encoder, ByteBufAllocator alloc, PerMessageDeflate deflate);

  /** Drops it unwritten, releasing what it holds. */
  void discard(Context context);

  /** {@link #encode} threw: releases what the attempt left, as {@link #discard} would. */
  default void encodeFailed(Context context) {
    discard(context);
  }

  /** A ping or a pong: on no account, holds nothing to release. */
  record Control(Frame frame) implements Outgoing {
    @Override
    public boolean urgent() {
      return true;
    }

    @Override
    public int size() {
      return 0;
    }

    @Override
    public void settle() {}

    @Override
    public ByteBuf encode(
        FrameEncoder encoder, ByteBufAllocator alloc, PerMessageDeflate deflate) {
      return encoder.encode(alloc, frame);
    }

    @Override
    public void discard(Context context) {}
  }

  /** The frame of {@code message}, compressed by {@code deflate} unless it is null. */
  static ByteBuf frameOf(
      Message message, FrameEncoder encoder, ByteBufAllocator alloc, PerMessageDeflate deflate) {
    return deflate == null ? message.encode(alloc, encoder)
        : deflate.encode(message, encoder, alloc);
  }

  /**
   * The frame of {@code prepared}, compressed by {@code deflate} unless it is null; its
   * reference goes with the buffer, or with the failure if this throws.
   */
  static ByteBuf frameOf(PreparedMessage prepared, FrameEncoder encoder, ByteBufAllocator alloc,
      PerMessageDeflate deflate) {
    return deflate == null ? prepared.writeWith(encoder, alloc)
        : prepared.writeWith(encoder, alloc, deflate);
  }

  /** A data message waiting its turn behind the urgent frames; holds nothing to release. */
  sealed interface Data extends Outgoing {
    Message message();

    @Override
    default boolean urgent() {
      return false;
    }

    @Override
    default int size() {
      return message().size();
    }

    @Override
    default ByteBuf encode(
        FrameEncoder encoder, ByteBufAllocator alloc, PerMessageDeflate deflate) {
      return frameOf(message(), encoder, alloc, deflate);
    }

    @Override
    default void discard(Context context) {
      Operators.onDiscard(message(), context);
    }
  }

  /** A message from the sink, counted against its budget until it leaves the queue. */
  record Emitted(Message message, SinkBudget budget) implements Data {
    @Override
    public void settle() {
      budget.release(message.size());
    }
  }

  /** A message from a {@code send()} source, which asks for more as its messages leave. */
  record Sent(Message message, Sender<?> sender) implements Data {
    @Override
    public void settle() {
      sender.written();
    }
  }

  /** A prepared message from {@code sendPrepared()}, owning one reference to its frame. */
  record SentPrepared(PreparedMessage prepared, Sender<?> sender) implements Outgoing {
    @Override
    public boolean urgent() {
      return false;
    }

    @Override
    public int size() {
      return prepared.size();
    }

    @Override
    public void settle() {
      sender.written();
    }

    @Override
    public ByteBuf encode(
        FrameEncoder encoder, ByteBufAllocator alloc, PerMessageDeflate deflate) {
      return frameOf(prepared, encoder, alloc, deflate);
    }

    @Override
    public void discard(Context context) {
      prepared.release();
    }

    /** Nothing: {@code writeWith} gives up the reference whether or not it succeeds. */
    @Override
    public void encodeFailed(Context context) {}
  }
}
