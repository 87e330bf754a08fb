package io.reactivews.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.core.message.Message;
import io.reactivews.server.cluster.SendOutcome;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message to a session by id reaches it on any node, with a clear outcome when it cannot. */
class SendToIdTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void reachesASessionOnAnyNodeAndSaysWhenItCannot() {
    try (RedisProcess redis = RedisProcess.ephemeral();
        Node a = Node.start(Node.spec(redis).nodeId("a"));
        Node b = Node.start(Node.spec(redis).nodeId("b"));
        Node c = Node.start(Node.spec(redis).nodeId("c"))) {
      List.of(a, b, c).forEach(Node::awaitUp);
      try (Client onA = Client.connect(a, "/room");
          Client onB = Client.connect(b, "/room");
          Client onC = Client.connect(c, "/room")) {
        String idA = onlySession(a);
        String idB = onlySession(b);
        String idC = onlySession(c);

        assertEquals(SendOutcome.FORWARDED, onceListed(a, idB, "to b"));
        assertEquals(List.of("to b"), onB.take(1));
        assertEquals(SendOutcome.FORWARDED, onceListed(c, idA, "to a"));
        assertEquals(List.of("to a"), onA.take(1));
        assertEquals(SendOutcome.DELIVERED, a.bus.sendTo(idA, Message.text("here")).block(WAIT));
        assertEquals(List.of("here"), onA.take(1));
        assertEquals(SendOutcome.NOT_FOUND,
            a.bus.sendTo("no-such-session", Message.text("?")).block(WAIT));

        onB.close();
        Node.await(() -> b.server.registry().count() == 0, () -> "b's session closed");
        // Its node forgets it asynchronously: until then a message is forwarded and dropped there.
        Node.await(() -> a.bus.sendTo(idB, Message.text("?")).block(WAIT) == SendOutcome.NOT_FOUND,
            () -> "a closed session is forgotten by every node");

        c.kill();
        assertEquals(SendOutcome.NODE_GONE, a.bus.sendTo(idC, Message.text("?")).block(WAIT),
            "its node died without a word");
      }
    }
  }

  /**
   * Sends from {@code node} once the session's own node has listed it: a node lists a session
   * it opened a moment later, and until then a send finds it nowhere and sends nothing.
   */
  private static SendOutcome onceListed(Node node, String sessionId, String text) {
    SendOutcome[] last = {null};
    Node.await(() -> (last[0] = node.bus.sendTo(sessionId, Message.text(text)).block(WAIT))
        != SendOutcome.NOT_FOUND, () -> sessionId + " listed");
    return last[0];
  }

  private static String onlySession(Node node) {
    Node.await(() -> node.server.registry().count() == 1, () -> "a session on " + node.bus);
    return node.server.registry().ids().iterator().next();
  }
}
