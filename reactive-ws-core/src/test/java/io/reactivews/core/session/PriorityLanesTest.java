package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.message.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.util.RaceTestUtils;

/** The outbound queue's two lanes: pings and pongs ahead of messages, each lane in order. */
class PriorityLanesTest {

  private final SinkBudget budget = new SinkBudget(1_000, 1_000_000);

  private Outgoing message(String text) {
    return new Outgoing.Emitted(Message.text(text), budget);
  }

  private static Outgoing pong(int n) {
    return new Outgoing.Control(Frame.of(Opcode.PONG, new byte[] {(byte) n}));
  }

  @Test
  void pingsAndPongsGoAheadOfQueuedMessagesAndEachLaneKeepsItsOrder() {
    PriorityLanes lanes = new PriorityLanes();
    Outgoing a = message("a");
    Outgoing b = message("b");
    Outgoing p1 = pong(1);
    Outgoing p2 = pong(2);
    lanes.offer(a);
    lanes.offer(p1);
    lanes.offer(b);
    lanes.offer(p2);

    assertSame(p1, lanes.poll());
    assertSame(p2, lanes.poll());
    assertSame(a, lanes.poll());
    assertSame(b, lanes.poll());
    assertNull(lanes.poll());
    assertTrue(lanes.isEmpty());
  }

  @Test
  void eachLaneCanBeTakenFromAlone() {
    PriorityLanes lanes = new PriorityLanes();
    assertTrue(lanes.isEmpty());
    assertNull(lanes.pollMessage());
    assertNull(lanes.pollUrgent());
    Outgoing a = message("a");
    Outgoing p = pong(1);
    lanes.offer(a);
    lanes.offer(p);
    assertFalse(lanes.isEmpty());

    assertSame(a, lanes.pollMessage());
    assertFalse(lanes.isEmpty());
    assertNull(lanes.pollMessage());
    assertSame(p, lanes.pollUrgent());
    assertTrue(lanes.isEmpty());
  }

  @Test
  void racingProducersLoseNothingAndKeepTheirOwnOrder() {
    for (int round = 0; round < 500; round++) {
      PriorityLanes lanes = new PriorityLanes();
      List<Outgoing> first = new ArrayList<>();
      List<Outgoing> second = new ArrayList<>();
      List<Outgoing> urgent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        first.add(message("1-" + i));
        second.add(message("2-" + i));
        urgent.add(pong(i));
      }
      // Both lanes are made on first use: the producers race to make them too.
      RaceTestUtils.race(
          () -> first.forEach(lanes::offer),
          () -> second.forEach(lanes::offer),
          () -> urgent.forEach(lanes::offer));

      List<Outgoing> taken = new ArrayList<>();
      Outgoing next;
      while ((next = lanes.poll()) != null) {
        taken.add(next);
      }
      assertEquals(60, taken.size());
      assertEquals(urgent, taken.subList(0, 20), "urgent entries first, in order");
      List<Outgoing> messages = taken.subList(20, 60);
      assertEquals(first, messages.stream().filter(first::contains).toList());
      assertEquals(second, messages.stream().filter(second::contains).toList());
    }
  }
}
