package io.reactivews.testing.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.RawFrame;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The runner must fail a case whose expectation the endpoint under test does not meet: proof
 * that a passing conformance case means something. Each module runs these against its own
 * endpoint by supplying {@link #runner()}.
 */
public abstract class CaseRunnerSelfTest {

  /** A runner playing the peer of the endpoint under test. */
  protected abstract CaseRunner runner();

  @Test
  void aDifferentEchoFails() {
    assertFails("expected [TEXT", of("x.1", "wrong echo",
        Script.of().send(RawFrame.text("sent")), Outcome.echoes(Event.text("other"))));
  }

  @Test
  void aMissingEchoFails() {
    assertFails("expected [TEXT", of("x.2", "pong is not an echo",
        Script.of().send(RawFrame.pong(new byte[0])), Outcome.echoes(Event.text("x"))));
  }

  @Test
  void aWrongCloseCodeFails() {
    assertFails("expected close code 1003", of("x.3", "wrong code",
        Script.of().send(RawFrame.ping(new byte[126])), Outcome.fails(1003)));
  }

  @Test
  void anUnexpectedFailureFails() {
    assertFails("and the close", of("x.4", "invalid text is not echoed",
        Script.of().send(RawFrame.text(new byte[] {(byte) 0xff})),
        Outcome.echoes(Event.text(new byte[] {(byte) 0xff}))));
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
        () -> runner().waitingAtMost(Duration.ofMillis(500)).run(of("x.6",
            "a ping is answered at once",
            Script.of().send(RawFrame.ping(new byte[0])).quiet(), Outcome.echoes())));
    assertTrue(e.getMessage().contains("expected nothing")
        || e.getMessage().contains("got [PONG"), e.getMessage());
  }

  @Test
  void aServerThatWaitsDuringFailFastFails() {
    assertFails("not failed within", of("x.7", "a valid fragment does not fail",
        Script.of().send(RawFrame.text("ok").fin(false)).failsFirst()
            .send(RawFrame.continuation("!")),
        Outcome.fails(1007)));
  }

  @Test
  void aWrongCloseAnswerFails() {
    assertFails("expected close code none", of("x.8", "1000 is not an empty answer",
        Script.of().send(RawFrame.close(1000, "")), Outcome.answersClose(Outcome.NO_CODE)));
  }

  private void assertFails(String message, ConformanceCase c) {
    AssertionError e = assertThrows(AssertionError.class,
        () -> runner().waitingAtMost(Duration.ofMillis(500)).run(c));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
