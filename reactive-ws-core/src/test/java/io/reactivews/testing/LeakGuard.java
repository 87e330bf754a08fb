package io.reactivews.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports that a buffer was garbage collected without being
 * released. Registered for every test class through JUnit's extension auto-detection.
 *
 * <p>Netty only notices a leak when a collected buffer's phantom reference is polled, which
 * happens on a later allocation; so after each class this forces collections and allocates until
 * the queue is drained.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {

  private static volatile boolean registered;

  /** Whether JUnit registered the guard on its own (extension auto-detection is on). */
  public static boolean isRegistered() {
    return registered;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    registered = true;
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    assertNoLeaks(context.getDisplayName());
  }

  /** Collects garbage, lets Netty look for leaks, and throws if it found any. */
  public static void assertNoLeaks(String where) throws InterruptedException {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
      return;
    }
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(20);
      pokeDetectors();
    }
    List<String> leaks = RecordingLeakDetector.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " buffer leak(s) reported after "
          + where + ":\n" + String.join("\n\n", leaks));
    }
  }

  private static void pokeDetectors() {
    for (int i = 0; i < 8; i++) {
      ByteBuf pooledDirect = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      ByteBuf pooledHeap = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
      ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.buffer(16);
      pooledDirect.release();
      pooledHeap.release();
      unpooled.release();
    }
  }
}
