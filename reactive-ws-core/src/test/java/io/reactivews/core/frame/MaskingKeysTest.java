package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** RFC 6455 section 5.3: keys must be fresh for every frame and unpredictable. */
class MaskingKeysTest {

  /** Spans several 1 KiB blocks, so a block that is not refilled would repeat. */
  @Test
  void keysDoNotRepeat() {
    IntSupplier keys = MaskingKeys.secure();
    Set<Integer> seen = new HashSet<>();
    int n = 3000;
    for (int i = 0; i < n; i++) {
      seen.add(keys.getAsInt());
    }
    // 3000 random 32-bit keys collide with a probability near 1e-3; five collisions, never.
    assertTrue(seen.size() >= n - 4, "distinct keys: " + seen.size());
  }

  @Test
  void threadsDrawDifferentKeys() throws InterruptedException {
    IntSupplier keys = MaskingKeys.secure();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    int threads = 4;
    int perThread = 500;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          seen.add(keys.getAsInt());
        }
        done.countDown();
      }).start();
    }
    done.await();
    assertTrue(seen.size() >= threads * perThread - 4, "distinct keys: " + seen.size());
  }

  @Test
  void keysUseAllFourBytes() {
    IntSupplier keys = MaskingKeys.secure();
    int or = 0;
    int and = -1;
    for (int i = 0; i < 1000; i++) {
      int key = keys.getAsInt();
      or |= key;
      and &= key;
    }
    assertTrue(or == -1 && and == 0, "every bit varies: or " + Integer.toHexString(or)
        + " and " + Integer.toHexString(and));
  }
}
