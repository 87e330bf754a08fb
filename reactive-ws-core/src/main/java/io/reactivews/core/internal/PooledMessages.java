package io.reactivews.core.internal;

import io.reactivews.core.message.Message;
import java.util.function.Function;

/**
 * Reads the frame a relayed message carries. A session whose received messages go straight to
 * a {@code send()} gets them still in their pooled network buffers, as {@link Message}s that no
 * application ever sees; the message package hands the reader over here when {@link Message} is
 * initialized (the "shared secrets" pattern, as {@link Sessions}), so that sessions can write and
 * release those buffers without that package exporting how.
 */
public final class PooledMessages {

  private static volatile Function<Message, PreparedMessage> frames;

  private PooledMessages() {}

  /** Called once, by {@link Message}'s class initializer. */
  public static void register(Function<Message, PreparedMessage> reader) {
    if (frames != null) {
      throw new IllegalStateException("a reader is registered already");
    }
    frames = reader;
  }

  /**
   * The frame {@code message} carries, whose one reference goes with the message (write it or
   * release it), or null for an ordinary message. Message is initialized before any exists, so
   * the reader is always here when there is a message to ask about.
   */
  public static PreparedMessage frameOf(Message message) {
    return frames.apply(message);
  }

  /** Drops {@code message}: gives its frame back if it carries one, else does nothing. */
  public static void release(Message message) {
    PreparedMessage frame = frameOf(message);
    if (frame != null) {
      frame.release();
    }
  }
}
