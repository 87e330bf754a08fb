package io.reactivews.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The default bus, a cluster of one: what a server without Redis does. */
class LocalBusTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void topicsReachThisNodesSubscribersInPublishOrder() {
    LocalBus bus = new LocalBus();
    StepVerifier.create(bus.subscribe("t").map(m -> m.message().text()).take(2))
        .then(() -> {
          assertEquals(PublishOutcome.CLUSTER, bus.publish("t", Message.text("a")).block(WAIT));
          bus.publish("other", Message.text("not here")).block(WAIT);
          bus.publish("t", Message.text("b")).block(WAIT);
        })
        .expectNext("a", "b")
        .verifyComplete();
  }

  @Test
  void resumingFromAnOlderOffsetIsAGapSinceNothingIsKept() {
    LocalBus bus = new LocalBus();
    bus.subscribe("t");
    bus.publish("t", Message.text("a")).block(WAIT);
    bus.publish("t", Message.text("b")).block(WAIT);
    StepVerifier.create(bus.resume("t", "1").take(1))
        .assertNext(m -> assertTrue(m.isGap()))
        .verifyComplete();
  }

  @Test
  void sendToFindsThisNodesSessionsOnly() {
    LocalBus bus = new LocalBus();
    bus.attach(new LocalNode() {
      @Override
      public Sinks.EmitResult deliver(String sessionId, Message message) {
        return switch (sessionId) {
          case "here" -> Sinks.EmitResult.OK;
          case "slow" -> Sinks.EmitResult.FAIL_OVERFLOW;
          default -> Sinks.EmitResult.FAIL_TERMINATED;
        };
      }

      @Override
      public Collection<String> sessionIds() {
        return List.of("here", "slow");
      }
    });
    assertEquals(SendOutcome.DELIVERED, bus.sendTo("here", Message.text("x")).block(WAIT));
    assertEquals(SendOutcome.OVERFLOW, bus.sendTo("slow", Message.text("x")).block(WAIT));
    assertEquals(SendOutcome.NOT_FOUND, bus.sendTo("gone", Message.text("x")).block(WAIT));
  }

  @Test
  void aClosedSessionLeavesEveryRoom() {
    LocalBus bus = new LocalBus();
    bus.presence().join("a", "s1").block(WAIT);
    bus.presence().join("b", "s1").block(WAIT);
    bus.presence().join("a", "s2").block(WAIT);
    assertEquals(2L, bus.presence().count("a").block(WAIT));
    bus.sessionClosed("s1");
    assertEquals(Set.of("s2"), bus.presence().members("a").block(WAIT));
    assertEquals(0L, bus.presence().count("b").block(WAIT));
  }
}
