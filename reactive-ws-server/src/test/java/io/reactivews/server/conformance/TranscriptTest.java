package io.reactivews.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.testing.ScriptedServer;
import io.reactivews.testing.conformance.Event;
import io.reactivews.testing.conformance.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The transcript joins fragments and rejects frames no server may send, from a scripted peer. */
class TranscriptTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void joinsFragmentsAndKeepsControlFramesInOrder() throws Exception {
    // "Hel" (text, not final), a pong "x", "lo" (final continuation), then close 1000.
    List<Event> events = transcriptOf("01 03 48656c 8a 01 78 80 02 6c6f 88 02 03e8").events();
    assertEquals(List.of(Event.pong("x"), Event.text("Hello")), events);
  }

  @Test
  void rejectsAMaskedServerFrame() {
    assertRejected("masked", "81 85 37fa213d 7f9f4d5158");
  }

  @Test
  void rejectsReservedBits() {
    assertRejected("RSV", "c1 00");
  }

  @Test
  void rejectsAContinuationWithNothingToContinue() {
    assertRejected("nothing to continue", "80 00");
  }

  @Test
  void rejectsAFrameAfterTheClose() {
    assertRejected("after the close", "88 00 81 00");
  }

  @Test
  void rejectsAFragmentedControlFrame() {
    assertRejected("control", "09 00");
  }

  private static void assertRejected(String message, String hex) {
    AssertionError e = assertThrows(AssertionError.class, () -> transcriptOf(hex));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  /** What a transcript makes of these server bytes followed by the end of stream. */
  private static Transcript transcriptOf(String hex) throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      CompletableFuture<ScriptedServer.Peer> accepted = server.upgradeAsync(null);
      try (ClientPeer client = ClientPeer.connect(server.address(), "/");
          ScriptedServer.Peer peer = server.await(accepted)) {
        peer.writeHex(hex);
        peer.socket().shutdownOutput();
        Transcript transcript = new Transcript(client, Role.SERVER);
        transcript.awaitEnd(WAIT);
        return transcript;
      }
    }
  }
}
