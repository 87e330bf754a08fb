package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.server.cluster.ClusterEvent;
import io.reactivews.server.cluster.PublishOutcome;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Redis killed (SIGKILL) and started again mid-stream. Pub/sub loses what is published meanwhile
 * on other nodes, says so with a gap, and recovers; streams lose nothing for a client that comes
 * back within the retention window, on any node; beyond it the client is told it missed some.
 */
class RedisRestartTest {

  @Test
  void pubSubKeepsLocalDeliveryReportsTheGapAndRecovers() {
    try (RedisProcess redis = RedisProcess.ephemeral();
        Node a = Node.start(Node.spec(redis).nodeId("a"));
        Node b = Node.start(Node.spec(redis).nodeId("b"))) {
      a.awaitUp();
      b.awaitUp();
      try (Client onA = Client.connect(a, "/live"); Client onB = Client.connect(b, "/live")) {
        awaitViewer(a);
        awaitViewer(b);
        a.publish("m", 0, 10);
        assertEquals(texts(0, 10), onA.take(10).stream().map(Client::text).toList());
        assertEquals(texts(0, 10), onB.take(10).stream().map(Client::text).toList());

        redis.kill();
        Node.await(() -> a.sawEvent(ClusterEvent.Down.class), () -> "a saw Redis go");
        Node.await(() -> b.sawEvent(ClusterEvent.Down.class), () -> "b saw Redis go");
        List<PublishOutcome> whileDown = a.publish("m", 10, 10);
        assertTrue(whileDown.stream().allMatch(o -> o == PublishOutcome.LOCAL_ONLY), "" + whileDown);
        assertEquals(texts(10, 20), onA.take(10).stream().map(Client::text).toList(),
            "local delivery goes on without Redis");

        redis.start();
        Node.await(() -> a.events.stream().filter(ClusterEvent.Up.class::isInstance).count() == 2,
            () -> "a is up again: " + a.events);
        Node.await(() -> b.events.stream().filter(ClusterEvent.Up.class::isInstance).count() == 2,
            () -> "b is up again: " + b.events);
        assertTrue(b.events.contains(new ClusterEvent.Gap("b", Node.TOPIC)), "" + b.events);
        assertEquals(List.of("gap"), onB.take(1), "b's viewer is told it missed messages");
        assertEquals(List.of("gap"), onA.take(1), "and so is a's: it may have missed others'");

        assertTrue(a.publish("m", 20, 10).stream().allMatch(o -> o == PublishOutcome.CLUSTER));
        assertEquals(texts(20, 30), onA.take(10).stream().map(Client::text).toList());
        assertEquals(texts(20, 30), onB.take(10).stream().map(Client::text).toList(),
            "b gets what is published after the restart");
      }
    }
  }

  @Test
  void streamsLoseNothingForAClientThatResumesWithinTheWindowOnAnotherNode() {
    try (RedisProcess redis = RedisProcess.persistent();
        Node a = Node.start(streams(redis, 10_000).nodeId("a"));
        Node b = Node.start(streams(redis, 10_000).nodeId("b"));
        Node c = Node.start(streams(redis, 10_000).nodeId("c"))) {
      List.of(a, b, c).forEach(Node::awaitUp);
      String last;
      try (Client steady = Client.connect(c, "/live")) {
        awaitViewer(c);
        try (Client leaving = Client.connect(b, "/live")) {
          awaitViewer(b);
          a.publish("m", 0, 10);
          List<String> first = leaving.take(10);
          assertEquals(texts(0, 10), first.stream().map(Client::text).toList());
          last = Client.offset(first.get(9));
        }
        a.publish("m", 10, 10); // while the client is away

        redis.kill();
        Node.await(() -> a.sawEvent(ClusterEvent.Down.class), () -> "a saw Redis go");
        redis.start();
        Node.await(a.bus::isConnected, () -> "a is up again");
        Node.await(c.bus::isConnected, () -> "c is up again");
        assertTrue(a.publish("m", 20, 10).stream().allMatch(o -> o == PublishOutcome.CLUSTER));

        try (Client back = Client.connect(c, "/resume?offset=" + last)) {
          List<String> resumed = back.take(20);
          assertEquals(texts(10, 30), resumed.stream().map(Client::text).toList(),
              "from the next message on, without gaps or duplicates");
          a.publish("m", 30, 5);
          assertEquals(texts(30, 35), back.take(5).stream().map(Client::text).toList(),
              "then live");
          back.expectNothing(Duration.ofMillis(100));
        }
        List<String> all = steady.take(35);
        assertEquals(texts(0, 35), all.stream().map(Client::text).toList(),
            "a viewer that stayed lost nothing either");
        assertFalse(c.sawEvent(ClusterEvent.Gap.class), "no gap: Redis kept its data");
      }
    }
  }

  @Test
  void streamsTellAClientBeyondTheWindowThatItMissedMessages() {
    try (RedisProcess redis = RedisProcess.ephemeral();
        Node a = Node.start(streams(redis, 100).nodeId("a"))) {
      a.awaitUp();
      String last;
      try (Client leaving = Client.connect(a, "/live")) {
        awaitViewer(a);
        a.publish("m", 0, 1);
        last = Client.offset(leaving.take(1).get(0));
      }
      a.publish("m", 1, 1000); // trims the stream far past the client's offset
      try (Client back = Client.connect(a, "/resume?offset=" + last)) {
        assertEquals(List.of("gap"), back.take(1));
        List<String> kept = back.takeUntil("m-1000").stream().map(Client::text).toList();
        int first = Integer.parseInt(kept.get(0).substring(2));
        assertTrue(first > 1, "the oldest were trimmed: " + kept.get(0));
        assertEquals(texts(first, 1001), kept, "what the window kept, in order, once");
      }
    }
  }

  private static RedisBusSpec streams(RedisProcess redis, long maxLength) {
    return Node.spec(redis).streams(maxLength, Duration.ofMinutes(5));
  }

  private static void awaitViewer(Node node) {
    Node.await(() -> node.live.stats().subscribers() == 1, () -> "a viewer on " + node.bus);
  }

  private static List<String> texts(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "m-" + i).collect(Collectors.toList());
  }
}
