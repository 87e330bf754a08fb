package io.reactivews.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.testing.RawFrame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runner plays whichever end the endpoint is not (RFC 6455 section 5.1): as a client it
 * masks every frame, as a server none, and as a server it ends TCP first after the close frames.
 */
class CaseRunnerRolesTest {

  private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(100);

  /** "Hi" in one write, then "Hello" in two pieces; the endpoint answers by failing with 1002. */
  private static final ConformanceCase CASE = ConformanceCase.of("r.1", "one frame, two pieces",
      Script.of().send(RawFrame.text("Hi"))
          .piece(RawFrame.text("Hello"), 0, 2, "header and He")
          .piece(RawFrame.text("Hello"), 2, 5, "llo"),
      Outcome.fails(1002));

  @Test
  void playingTheServerItSendsFramesUnmaskedAndEndsTcpFirst() throws Exception {
    QueuedConnection connection = new QueuedConnection(3, RawFrame.close(1002, "").masked());
    new CaseRunner(Role.CLIENT, c -> connection, CLOSE_TIMEOUT).run(CASE);
    assertEquals(List.of(
        "81 02 48 69", // "Hi"
        "81 05 48 65", // header and "He"
        "6c 6c 6f", // "llo"
        "88 02 03 ea"), // the close reply, 1002
        connection.writes());
    assertTrue(connection.outputShut(), "a server peer sends its FIN after the close frames");
  }

  @Test
  void playingTheClientItMasksEveryFrameAndLeavesTcpToTheServer() throws Exception {
    QueuedConnection connection = new QueuedConnection(3, RawFrame.close(1002, ""));
    new CaseRunner(Role.SERVER, c -> connection, CLOSE_TIMEOUT).run(CASE);
    assertEquals(List.of(
        "81 82 37 fa 21 3d 7f 93", // "Hi", the first key of the sequence
        "81 85 11 22 33 44 59 47", // "Hello" pieces share one fixed key
        "5f 28 7e",
        "88 82 37 0c 4c 42 34 e6"), // the close reply with the sequence's second key
        connection.writes());
    assertFalse(connection.outputShut(), "a server under test ends TCP by itself");
  }

  @Test
  void aClientsUnmaskedFrameFailsTheCase() {
    QueuedConnection connection = new QueuedConnection(3, RawFrame.close(1002, ""));
    AssertionError e = assertThrows(AssertionError.class,
        () -> new CaseRunner(Role.CLIENT, c -> connection, CLOSE_TIMEOUT).run(CASE));
    assertTrue(e.getMessage().contains("the client sent an unmasked frame"), e.getMessage());
  }

  @Test
  void aServersMaskedFrameFailsTheCase() {
    QueuedConnection connection = new QueuedConnection(3, RawFrame.close(1002, "").masked());
    AssertionError e = assertThrows(AssertionError.class,
        () -> new CaseRunner(Role.SERVER, c -> connection, CLOSE_TIMEOUT).run(CASE));
    assertTrue(e.getMessage().contains("the server sent a masked frame"), e.getMessage());
  }

  @Test
  void aPieceMustLieInsideItsFrame() {
    assertThrows(IllegalArgumentException.class,
        () -> Script.of().piece(RawFrame.text("Hello"), 2, 6, "past the end"));
  }
}
