package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** Proves the guard would catch a leak: without this, a silent guard looks like a clean run. */
class LeakGuardSelfTest {

  @Test
  void paranoidLevelIsActive() {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
  }

  @Test
  void theGuardRunsForEveryClassWithoutBeingAsked() {
    assertTrue(LeakGuard.isRegistered(), "JUnit extension auto-detection is off: leaks go unseen");
  }

  @Test
  void aDroppedBufferIsReported() throws Exception {
    RecordingLeakDetector.drain();
    leakOne();
    AssertionError error =
        assertThrows(AssertionError.class, () -> LeakGuard.assertNoLeaks("self test"));
    assertFalse(error.getMessage().isEmpty());
  }

  private static void leakOne() {
    PooledByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
  }
}
