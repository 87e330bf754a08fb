package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.util.RaceTestUtils;

/** The sink's limits on what it holds unwritten: messages and bytes. */
class SinkBudgetTest {

  @Test
  void takesMessagesUpToTheMessageLimit() {
    SinkBudget budget = new SinkBudget(3, 1_000);
    assertTrue(budget.tryAcquire(10));
    assertTrue(budget.tryAcquire(10));
    assertTrue(budget.tryAcquire(10));
    assertFalse(budget.tryAcquire(10));
    assertEquals(3, budget.messages());
    assertEquals(30, budget.bytes());

    budget.release(10);
    assertTrue(budget.tryAcquire(10), "room again once one left");
  }

  @Test
  void takesBytesUpToTheByteLimitAndCountsNothingItRefuses() {
    SinkBudget budget = new SinkBudget(100, 100);
    assertTrue(budget.tryAcquire(60));
    assertTrue(budget.tryAcquire(40));
    assertFalse(budget.tryAcquire(1));
    assertEquals(2, budget.messages());
    assertEquals(100, budget.bytes());
  }

  @Test
  void oneMessageLargerThanTheByteLimitIsTakenAloneElseItCouldNeverBeSent() {
    SinkBudget budget = new SinkBudget(100, 100);
    assertTrue(budget.tryAcquire(500));
    assertFalse(budget.tryAcquire(1), "nothing else fits beside it");
    budget.release(500);
    assertTrue(budget.tryAcquire(1));
    assertFalse(budget.tryAcquire(500), "not beside another");
  }

  @Test
  void racingEmittersNeverExceedTheLimitsAndReleasesBalance() {
    for (int round = 0; round < 2_000; round++) {
      SinkBudget budget = new SinkBudget(3, 1_000);
      AtomicInteger taken = new AtomicInteger();
      Runnable emit = () -> {
        if (budget.tryAcquire(100)) {
          taken.incrementAndGet();
        }
      };
      RaceTestUtils.race(emit, emit, emit, emit);
      assertEquals(3, taken.get(), "round " + round);
      assertEquals(3, budget.messages());
      assertEquals(300, budget.bytes());

      RaceTestUtils.race(() -> budget.release(100), emit, () -> budget.release(100));
      assertEquals(taken.get() - 2, budget.messages());
      assertEquals(100L * (taken.get() - 2), budget.bytes());
    }
  }
}
