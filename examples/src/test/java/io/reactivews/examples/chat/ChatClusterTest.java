package io.reactivews.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.examples.TextClient;
import io.reactivews.server.BoundServer;
import io.reactivews.server.cluster.redis.RedisBus;
import io.reactivews.testing.RedisProcess;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two chat servers on one real Redis are one room, as {@code chat --redis} runs them: a line said
 * on one reaches the other, and a page that reconnects, to either, with its last offset gets what
 * it missed, once.
 */
class ChatClusterTest {

  private static final Pattern OFFSET = Pattern.compile("\"offset\":\"([0-9-]+)\"");

  @Test
  void twoServersAreOneRoomAndAReconnectingPageMissesNothing() throws Exception {
    try (RedisProcess redis = RedisProcess.ephemeral()) {
      RedisBus bus1 = RedisBus.spec(redis.uri()).streams(1000, Duration.ofMinutes(1)).connect();
      RedisBus bus2 = RedisBus.spec(redis.uri()).streams(1000, Duration.ofMinutes(1)).connect();
      BoundServer one = ChatServer.start("127.0.0.1", 0, bus1);
      BoundServer two = ChatServer.start("127.0.0.1", 0, bus2);
      try {
        awaitConnected(bus1);
        awaitConnected(bus2);
        String last;
        try (TextClient bob = new TextClient("ws://127.0.0.1:" + two.port() + "/chat")) {
          try (TextClient alice = new TextClient("ws://127.0.0.1:" + one.port() + "/chat")) {
            alice.send("{\"type\":\"join\",\"name\":\"alice\"}");
            alice.nextContaining("welcome");
            bob.send("{\"type\":\"join\",\"name\":\"bob\"}");
            String welcome = bob.nextContaining("welcome");
            assertTrue(welcome.contains("[\"alice\",\"bob\"]"),
                "the member list spans both servers: " + welcome);
            assertTrue(alice.nextContaining("\"name\":\"bob\"").contains("joined"));

            bob.send("{\"type\":\"say\",\"text\":\"hello from two\"}");
            last = alice.nextContaining("hello from two");
          }
          bob.nextContaining("\"left\"");
          bob.send("{\"type\":\"say\",\"text\":\"while you were away 1\"}");
          bob.send("{\"type\":\"say\",\"text\":\"while you were away 2\"}");
          bob.nextContaining("away 2");
        }
        Matcher offset = OFFSET.matcher(last);
        assertTrue(offset.find(), last);
        try (TextClient back = new TextClient(
            "ws://127.0.0.1:" + two.port() + "/chat?since=" + offset.group(1))) {
          back.send("{\"type\":\"join\",\"name\":\"alice\"}"); // the page joins again
          assertTrue(back.nextContaining("said").contains("away 1"), "the first line it missed");
          assertTrue(back.nextContaining("said").contains("away 2"));
        }
      } finally {
        one.shutdown(Duration.ofSeconds(2)).block();
        two.shutdown(Duration.ofSeconds(2)).block();
        bus1.dispose();
        bus2.dispose();
      }
    }
  }

  private static void awaitConnected(RedisBus bus) throws InterruptedException {
    for (int i = 0; i < 1000 && !bus.isConnected(); i++) {
      Thread.sleep(10);
    }
    assertEquals(true, bus.isConnected(), bus + " connected");
  }
}
