package io.reactivews.core.frame;

import java.security.SecureRandom;
import java.util.function.IntSupplier;

/**
 * Where client masking keys come from. RFC 6455 section 5.3 asks for a fresh key per frame from a
 * strong source of entropy, so that a page's script cannot predict the bytes on the wire.
 *
 * <p>{@link #secure()} draws from {@link SecureRandom} in blocks of 1 KiB per thread, so a key
 * costs an array read instead of a call into the random generator. Thread-safe.
 */
public final class MaskingKeys {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int BLOCK = 1024;
  private static final ThreadLocal<Block> BLOCKS = ThreadLocal.withInitial(Block::new);
  private static final IntSupplier SECURE = () -> BLOCKS.get().nextInt();

  private MaskingKeys() {}

  /** Unpredictable keys, one per call. */
  public static IntSupplier secure() {
    return SECURE;
  }

  private static final class Block {
    private final byte[] bytes = new byte[BLOCK];
    private int position = BLOCK;

    int nextInt() {
      if (position == BLOCK) {
        RANDOM.nextBytes(bytes);
        position = 0;
      }
      int key = (bytes[position] & 0xFF) << 24
          | (bytes[position + 1] & 0xFF) << 16
          | (bytes[position + 2] & 0xFF) << 8
          | (bytes[position + 3] & 0xFF);
      position += 4;
      return key;
    }
  }
}
