package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.reactivews.core.message.Message;
import io.reactivews.server.cluster.ClusterEvent;
import io.reactivews.server.cluster.SendOutcome;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What Redis holds for a node (its rooms' members, its sessions in the directory) comes back to
 * what the node holds in memory, whatever Redis kept or lost meanwhile: a node restarted under
 * its id, Redis emptied under a live connection, sessions that left or closed while Redis was
 * away. Nodes
 * in these tests are separate {@link RedisBus}es, as separate processes would be.
 */
class RedisMatchesMemoryTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String DIRECTORY = "rws:sessions";

  @Test
  void aNodeRestartedUnderItsIdDoesNotInheritTheDeadProcessesMembersOrSessions() {
    try (RedisProcess redis = RedisProcess.ephemeral();
        Probe probe = new Probe(redis);
        Node observer = Node.start(Node.spec(redis).nodeId("observer"))) {
      observer.awaitUp();
      // A TTL long enough that the new process joins before the old one's keys could expire.
      Node before = Node.start(slowToForget(redis).nodeId("a")).awaitUp();
      String gone;
      try (Client dead = Client.connect(before, "/room")) {
        gone = onlySession(before);
        awaitMembers(observer, Set.of(gone));
        before.kill(); // no goodbye: its keys are left to expire
      }
      try (Node after = Node.start(slowToForget(redis).nodeId("a")).awaitUp();
          Client alive = Client.connect(after, "/room")) {
        String here = onlySession(after);
        awaitMembers(observer, Set.of(here));
        Node.await(() -> !probe.redis.hexists(DIRECTORY, gone),
            () -> "the dead process's session left the directory: " + probe.directory());
        assertEquals(after.bus.nodeId(), "a");
      }
    }
  }

  @Test
  void aNodeThatRedisForgotWithoutDisconnectingSaysItsSessionsAndRoomsAgain() {
    try (RedisProcess redis = RedisProcess.ephemeral();
        Probe probe = new Probe(redis);
        Node a = Node.start(Node.spec(redis).nodeId("a"));
        Node b = Node.start(Node.spec(redis).nodeId("b"))) {
      a.awaitUp();
      b.awaitUp();
      try (Client member = Client.connect(a, "/room")) {
        String id = onlySession(a);
        awaitMembers(b, Set.of(id));

        probe.redis.flushall(); // a failover to an empty replica, say: no connection drops
        Node.await(() -> b.bus.presence().members(Node.ROOM).block(WAIT).contains(id),
            () -> "a's room said again after Redis forgot it");
        Node.await(() -> b.bus.sendTo(id, Message.text("found")).block(WAIT)
            == SendOutcome.FORWARDED, () -> "a's session in the directory again");
        assertEquals("found", member.take(1).get(0));
        assertFalse(a.sawEvent(ClusterEvent.Down.class), "it never lost its connection");
      }
    }
  }

  @Test
  void aMemberThatLeftWhileRedisWasAwayIsNotListedWhenRedisReturnsWithItsData() {
    try (RedisProcess redis = RedisProcess.persistent();
        Node a = Node.start(Node.spec(redis).nodeId("a"));
        Node b = Node.start(Node.spec(redis).nodeId("b"))) {
      a.awaitUp();
      b.awaitUp();
      try (Client stays = Client.connect(a, "/room")) {
        String staying = onlySession(a);
        Client leaves = Client.connect(a, "/room");
        Node.await(() -> a.server.registry().count() == 2, () -> "two members on a");
        String leaving = a.server.registry().ids().stream()
            .filter(id -> !id.equals(staying)).findFirst().orElseThrow();
        awaitMembers(b, Set.of(staying, leaving));

        redis.kill();
        Node.await(() -> a.sawEvent(ClusterEvent.Down.class), () -> "a saw Redis go");
        leaves.close(); // its leave cannot reach Redis, which keeps it on disk
        Node.await(() -> a.server.registry().count() == 1, () -> "one member left on a");

        redis.start();
        Node.await(() -> a.events.stream().filter(ClusterEvent.Up.class::isInstance).count() == 2,
            () -> "a is up again: " + a.events);
        awaitMembers(b, Set.of(staying));
        try (Probe probe = new Probe(redis)) {
          Node.await(() -> !probe.redis.hexists(DIRECTORY, leaving),
              () -> "the closed session left the directory: " + probe.directory());
          assertTrue(probe.redis.hexists(DIRECTORY, staying), probe.directory());
        }
      }
    }
  }

  /** The node's heartbeat every 100 ms, as {@link Node#spec}, but forgotten only after 5 s. */
  private static RedisBusSpec slowToForget(RedisProcess redis) {
    return Node.spec(redis).heartbeat(Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  private static String onlySession(Node node) {
    Node.await(() -> node.server.registry().count() == 1, () -> "one session on " + node.bus);
    return node.server.registry().ids().iterator().next();
  }

  /** Waits until every node's members of the room, as {@code node} reads them, are these. */
  private static void awaitMembers(Node node, Set<String> expected) {
    Set<?>[] last = {null};
    Node.await(() -> expected.equals(last[0] = node.bus.presence().members(Node.ROOM).block(WAIT)),
        () -> "members " + expected + ", last read " + last[0]);
  }

  /** A plain Redis connection to look at and change what the nodes keep there. */
  private static final class Probe implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> redis;

    Probe(RedisProcess process) {
      client = RedisClient.create(process.uri());
      connection = client.connect(StringCodec.UTF8);
      redis = connection.sync();
    }

    String directory() {
      return String.valueOf(redis.hgetall(DIRECTORY));
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
