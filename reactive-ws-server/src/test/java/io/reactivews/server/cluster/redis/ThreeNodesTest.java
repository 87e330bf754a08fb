package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.server.cluster.DeliveryMode;
import io.reactivews.server.cluster.PublishOutcome;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three server nodes on one real Redis, two browsers on each, a publisher on each: every browser
 * gets every message of the topic, in order per publisher, in both delivery modes; in streams
 * mode every browser also sees one order, with rising offsets.
 */
class ThreeNodesTest {

  private static final int PER_PUBLISHER = 200;
  private static RedisProcess redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.ephemeral();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @ParameterizedTest
  @EnumSource(value = DeliveryMode.class, names = {"PUB_SUB", "STREAMS"})
  void everyViewerOnEveryNodeGetsEveryMessageInOrderPerPublisher(DeliveryMode mode) {
    RedisBusSpec spec = Node.spec(redis).keyPrefix("three-" + mode);
    if (mode == DeliveryMode.STREAMS) {
      spec = spec.streams(100_000, Duration.ofMinutes(5));
    }
    List<Node> nodes = new ArrayList<>();
    List<Client> clients = new ArrayList<>();
    try {
      for (int n = 0; n < 3; n++) {
        nodes.add(Node.start(spec.nodeId("node" + n)));
      }
      for (Node node : nodes) {
        node.awaitUp();
        clients.add(Client.connect(node, "/live"));
        clients.add(Client.connect(node, "/live"));
        Node.await(() -> node.live.stats().subscribers() == 2, () -> "two viewers on " + node);
      }

      List<CompletableFuture<List<PublishOutcome>>> publishing = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        Node node = nodes.get(n);
        String prefix = "p" + n;
        publishing.add(CompletableFuture.supplyAsync(() -> node.publish(prefix, 0, PER_PUBLISHER)));
      }
      for (CompletableFuture<List<PublishOutcome>> outcomes : publishing) {
        assertTrue(outcomes.join().stream().allMatch(o -> o == PublishOutcome.CLUSTER));
      }

      List<String> firstOrder = null;
      for (Client client : clients) {
        List<String> lines = client.take(3 * PER_PUBLISHER);
        Map<String, Integer> next = new HashMap<>();
        String lastOffset = null;
        for (String line : lines) {
          String[] text = Client.text(line).split("-");
          int expected = next.getOrDefault(text[0], 0);
          assertEquals(expected, Integer.parseInt(text[1]), () -> "in order from " + text[0]);
          next.put(text[0], expected + 1);
          if (mode == DeliveryMode.STREAMS) {
            StreamId offset = StreamId.parse(Client.offset(line));
            assertTrue(lastOffset == null || offset.compareTo(StreamId.parse(lastOffset)) > 0,
                "offsets rise");
            lastOffset = offset.toString();
          }
        }
        assertEquals(Map.of("p0", PER_PUBLISHER, "p1", PER_PUBLISHER, "p2", PER_PUBLISHER), next);
        if (mode == DeliveryMode.STREAMS) {
          if (firstOrder == null) {
            firstOrder = lines;
          }
          assertEquals(firstOrder, lines, "one order for every viewer on every node");
        }
        client.expectNothing(Duration.ofMillis(100));
      }
      for (Node node : nodes) {
        assertEquals(3L * PER_PUBLISHER, node.live.stats().encoded(), "encoded once per node");
      }
    } finally {
      clients.forEach(Client::close);
      nodes.forEach(Node::close);
    }
  }
}
