package io.reactivews.core;

import io.reactivews.core.frame.Masking;
import io.reactivews.core.message.Utf8Validator;

/**
 * Which work this JVM does a vector of bytes at a time with the JDK's incubating Vector API. Each
 * use needs the JVM started with {@code --add-modules jdk.incubator.vector}, turns on after a
 * warm-up that its first long input starts, and only where it beats plain Java on this machine;
 * {@code -Dio.reactivews.vectors=false} turns all off. Asking starts nothing.
 *
 * <pre>{@code
 * log.info("UTF-8 vectors {}, masking vectors {}", VectorUse.utf8(), VectorUse.masking());
 * }</pre>
 */
public final class VectorUse {

  private VectorUse() {}

  /** Whether texts of 256 bytes or more are checked a vector at a time now. */
  public static boolean utf8() {
    return Utf8Validator.usesVectors();
  }

  /**
   * Whether frames of 256 bytes or more are unmasked a vector at a time now, out of the network
   * buffer into the message the application gets: Java 17 and 18 only, whose Vector API reads
   * native memory through {@code ByteBuffer}s.
   */
  public static boolean masking() {
    return Masking.usesVectors();
  }
}
