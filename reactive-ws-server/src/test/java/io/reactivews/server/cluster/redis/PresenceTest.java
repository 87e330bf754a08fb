package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sessions per room across three nodes: joins and closes show on every node, and a node killed
 * without a goodbye drops out once its heartbeat TTL (600 ms here) passes.
 */
class PresenceTest {

  @Test
  void convergesOnEveryNodeAndForgetsAKilledNode() {
    try (RedisProcess redis = RedisProcess.ephemeral();
        Node a = Node.start(Node.spec(redis).nodeId("a"));
        Node b = Node.start(Node.spec(redis).nodeId("b"));
        Node c = Node.start(Node.spec(redis).nodeId("c"))) {
      List<Node> nodes = List.of(a, b, c);
      nodes.forEach(Node::awaitUp);
      List<Client> clients = new ArrayList<>();
      try {
        for (Node node : nodes) {
          clients.add(Client.connect(node, "/room"));
          clients.add(Client.connect(node, "/room"));
        }
        for (Node node : nodes) {
          awaitCount(node, 6);
        }
        assertEquals(a.bus.presence().members(Node.ROOM).block(),
            c.bus.presence().members(Node.ROOM).block());

        clients.get(0).close(); // one of a's
        awaitCount(c, 5);

        long killedAt = System.nanoTime();
        c.kill();
        awaitCount(a, 3);
        awaitCount(b, 3);
        long millis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        System.out.println("presence converged " + millis + " ms after a node was killed");
      } finally {
        clients.forEach(Client::close);
      }
    }
  }

  private static void awaitCount(Node node, long expected) {
    Node.await(() -> node.bus.presence().count(Node.ROOM).block() == expected,
        () -> expected + " in the room, seen from " + node.bus + ": "
            + node.bus.presence().count(Node.ROOM).block());
  }
}
