package io.reactivews.client.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.RawFrame;
import io.reactivews.testing.conformance.ConformanceCase;
import io.reactivews.testing.conformance.Event;
import io.reactivews.testing.conformance.Outcome;
import io.reactivews.testing.conformance.Script;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Playing the server, the runner must fail a case whose expectation the client does not meet. */
class ClientCaseRunnerTest {

  @RegisterExtension
  static final EchoClient client = new EchoClient();

  @Test
  void aDifferentEchoFails() {
    assertFails("expected [TEXT", of("x.1", "wrong echo",
        Script.of().send(RawFrame.text("sent")), Outcome.echoes(Event.text("other"))));
  }

  @Test
  void aWrongCloseCodeFails() {
    assertFails("expected close code 1003", of("x.3", "wrong code",
        Script.of().send(RawFrame.ping(new byte[126])), Outcome.fails(1003)));
  }

  @Test
  void aConnectionThatIsNotFailedFails() {
    assertFails("was not failed", of("x.5", "valid text does not fail",
        Script.of().send(RawFrame.text("fine")), Outcome.fails(1002).after(Event.text("fine"))));
  }

  @Test
  void anAnswerDuringAQuietPauseFails() {
    // On a loaded machine the pong may land just after the pause: then the outcome check
    // catches it instead. Either way the unexpected pong must fail the case.
    AssertionError e = assertThrows(AssertionError.class,
        () -> client.runner().waitingAtMost(Duration.ofMillis(500)).run(of("x.6",
            "a ping is answered at once",
            Script.of().send(RawFrame.ping(new byte[0])).quiet(), Outcome.echoes())));
    assertTrue(e.getMessage().contains("expected nothing")
        || e.getMessage().contains("got [PONG"), e.getMessage());
  }

  @Test
  void aClientThatWaitsDuringFailFastFails() {
    assertFails("not failed within", of("x.7", "a valid fragment does not fail",
        Script.of().send(RawFrame.text("ok").fin(false)).failsWithinPause()
            .send(RawFrame.continuation("!")),
        Outcome.fails(1007)));
  }

  private static void assertFails(String message, ConformanceCase c) {
    AssertionError e = assertThrows(AssertionError.class,
        () -> client.runner().waitingAtMost(Duration.ofMillis(500)).run(c));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
