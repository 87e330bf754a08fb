package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.server.BroadcastSubscription;
import io.reactivews.server.OverflowPolicy;
import io.reactivews.server.cluster.PublishOutcome;
import io.reactivews.testing.RedisProcess;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A viewer on node B that reads nothing holds its own bounded queue and nothing else: viewers on
 * A and B get every message, in order, while it drops the oldest.
 */
class SlowViewerTest {

  private static final int MESSAGES = 2_000;
  private static final int QUEUE = 32;
  private static final OverflowPolicy POLICY = OverflowPolicy.dropOldest(QUEUE);
  private static final String PAD = "x".repeat(4096);

  @Test
  void aSlowViewerOnOneNodeSlowsNobodyOnAnyNode() throws Exception {
    try (RedisProcess redis = RedisProcess.ephemeral();
        Node a = Node.start(Node.spec(redis).nodeId("a"), POLICY);
        Node b = Node.start(Node.spec(redis).nodeId("b"), POLICY)) {
      a.awaitUp();
      b.awaitUp();
      try (Socket slow = Client.stalled(b, "/live?who=slow");
          Client fastA = Client.connect(a, "/live?who=fast");
          Client fastB = Client.connect(b, "/live?who=fast")) {
        Node.await(() -> a.viewers.size() == 1 && b.viewers.size() == 2, () -> "all viewers");
        CompletableFuture<List<String>> onA = CompletableFuture.supplyAsync(() -> texts(fastA));
        CompletableFuture<List<String>> onB = CompletableFuture.supplyAsync(() -> texts(fastB));

        List<PublishOutcome> outcomes = a.publish("m", 0, MESSAGES, PAD);
        assertTrue(outcomes.stream().allMatch(o -> o == PublishOutcome.CLUSTER),
            () -> "all reached Redis: " + outcomes.stream().filter(o -> o != PublishOutcome.CLUSTER)
                .count() + " did not; events " + a.events + " " + b.events);

        List<String> expected = IntStream.range(0, MESSAGES).mapToObj(i -> "m-" + i + PAD)
            .collect(Collectors.toList());
        assertEquals(expected, onA.join(), "every message on A, in order");
        assertEquals(expected, onB.join(), () -> "every message on B, in order; B: "
            + b.live.stats() + " " + b.events);
        BroadcastSubscription.Stats stalled = b.viewers.get("slow").stats();
        assertEquals(MESSAGES, stalled.offered());
        assertTrue(stalled.dropped() > 0, "the slow viewer overflowed: " + stalled);
        assertTrue(stalled.peakQueuedMessages() <= QUEUE, stalled.toString());
        assertEquals(0, b.viewers.get("fast").stats().dropped());
      }
    }
  }

  private static List<String> texts(Client client) {
    return client.take(MESSAGES).stream().map(Client::text).toList();
  }
}
