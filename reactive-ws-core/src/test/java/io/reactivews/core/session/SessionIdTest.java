package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.testing.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Session ids name sessions across a cluster's nodes, each node its own process: ids must not
 * repeat within a process, nor between processes that each start counting afresh.
 */
class SessionIdTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

  @Test
  void theFirstSessionsOfTwoProcessesHaveDifferentIds() throws Exception {
    String first = firstIdOfAFreshProcess();
    String second = firstIdOfAFreshProcess();
    assertNotEquals(first, second, "two nodes would share a session id");
    assertTrue(URL_SAFE.matcher(first).matches(), first);
  }

  @Test
  void idsInOneProcessDoNotRepeatAndNeedNoEscaping() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String id = open().id();
      assertTrue(URL_SAFE.matcher(id).matches(), id);
      assertTrue(ids.add(id), () -> "repeated: " + id);
    }
  }

  @Test
  void aSessionKeepsItsId() {
    DefaultWebSocketSession session = open();
    assertEquals(session.id(), session.id());
  }

  private static DefaultWebSocketSession open() {
    return DefaultWebSocketSession.open(InMemoryTransport.pair().server(), Role.SERVER,
        SessionOptions.defaults(), HandshakeInfo.root());
  }

  /** Runs {@link FirstSessionId} in a JVM of its own and reads the id it prints. */
  private static String firstIdOfAFreshProcess() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (ChildProcess child = ChildProcess.start(List.of(java, "-cp",
        System.getProperty("java.class.path"), FirstSessionId.class.getName()))) {
      String line = child.awaitLine(l -> l.startsWith("id "), WAIT);
      return line.substring(3);
    }
  }

  /** A fresh process: its first session's id, printed as {@code id <id>}. */
  static final class FirstSessionId {
    public static void main(String[] args) {
      System.out.println("id " + open().id());
    }
  }
}
