package io.reactivews.server.conformance;

import io.reactivews.server.testing.RawClient;
import io.reactivews.testing.RawFrame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Plays one {@link ConformanceCase} against a server with a fresh {@link RawClient} and asserts
 * its {@link Outcome}, the way the suite judges a case: the events must equal one acceptable
 * list, the close code must be the expected one, and after the close frames the server must end
 * the TCP connection within its close timeout.
 *
 * <p>Like the suite, a script stops sending once the server closed (its "if still open" guard),
 * and a failed write only matters for cases in which the server should not have closed.
 */
final class CaseRunner {

  /** Bound on every wait for something that should come; failures show up within it. */
  static final Duration WAIT = Duration.ofSeconds(5);

  /** Pause between the writes of "frame-wise" sends, so each lands in its own read. */
  private static final Duration FRAME_GAP = Duration.ofMillis(2);

  private final InetSocketAddress address;
  private final Duration closeTimeout;
  private final Duration patience;
  private final boolean closeFrameRequired;

  CaseRunner(InetSocketAddress address, Duration closeTimeout) {
    this(address, closeTimeout, WAIT, false);
  }

  private CaseRunner(InetSocketAddress address, Duration closeTimeout, Duration patience,
      boolean closeFrameRequired) {
    this.address = address;
    this.closeTimeout = closeTimeout;
    this.patience = patience;
    this.closeFrameRequired = closeFrameRequired;
  }

  /**
   * A runner stricter than the suite: a failed connection must get a close frame before the
   * TCP close, which is what this project promises.
   */
  CaseRunner requiringCloseFrame() {
    return new CaseRunner(address, closeTimeout, patience, true);
  }

  /** A runner that waits less for what does not come (for cases meant to fail). */
  CaseRunner waitingAtMost(Duration newWait) {
    return new CaseRunner(address, closeTimeout, newWait, closeFrameRequired);
  }

  void run(ConformanceCase c) throws Exception {
    try (RawClient client = RawClient.connect(address, "/case/" + c.id())) {
      Transcript transcript = new Transcript(client);
      boolean writable = true;
      for (Step step : c.script().steps()) {
        writable = perform(step, c, client, transcript, writable);
      }
      switch (c.outcome().ending()) {
        case CLIENT_CLOSES -> clientCloses(c, client, transcript);
        case ANSWERS_CLOSE -> answersClose(c, transcript);
        case FAILS -> fails(c, client, transcript);
      }
    }
  }

  /** Runs a step; answers whether the client may still write. */
  private boolean perform(Step step, ConformanceCase c, RawClient client, Transcript transcript,
      boolean writable) throws Exception {
    if (step instanceof Step.Send send) {
      return writable && write(c, transcript, () -> send(client, send));
    } else if (step instanceof Step.Write write) {
      return writable && write(c, transcript, () -> client.write(write.bytes()));
    } else if (step instanceof Step.Pause pause) {
      Thread.sleep(pause.duration().toMillis());
    } else if (step instanceof Step.Quiet quiet) {
      transcript.assertQuiet(quiet.duration());
    } else if (step instanceof Step.Expect expect) {
      int before = transcript.events().size();
      transcript.awaitEvents(before + expect.events().size(), expect.within());
      List<Event> got = transcript.events();
      if (!got.subList(before, got.size()).equals(expect.events())) {
        throw new AssertionError(c.id() + ": expected " + expect.events() + " within "
            + expect.within().toMillis() + " ms, got " + got.subList(before, got.size())
            + (transcript.terminated() ? " and the close " + describeEnd(transcript) : ""));
      }
    } else if (step instanceof Step.FailsWithin fails) {
      transcript.awaitTermination(fails.within());
      if (!transcript.terminated()) {
        throw new AssertionError(c.id() + ": the connection was not failed within "
            + fails.within().toMillis() + " ms (fail fast)");
      }
    }
    return writable;
  }

  private interface Write {
    void run() throws IOException;
  }

  private boolean write(ConformanceCase c, Transcript transcript, Write write)
      throws InterruptedException, IOException {
    transcript.drain();
    if (transcript.terminated()) {
      return false; // the suite sends no more once the server closed
    }
    try {
      write.run();
      return true;
    } catch (IOException e) {
      if (c.outcome().ending() != Outcome.Ending.FAILS) {
        throw e;
      }
      return false; // the server closed while we wrote: judged by the outcome
    }
  }

  private static void send(RawClient client, Step.Send send) throws IOException {
    RawFrame[] frames = send.frames().toArray(RawFrame[]::new);
    switch (send.chops()) {
      case ONE_WRITE -> client.send(frames);
      case PER_FRAME -> client.sendFrameWise(FRAME_GAP, frames);
      case FIXED -> client.sendChopped(send.chopSize(), Duration.ZERO, frames);
    }
  }

  private void clientCloses(ConformanceCase c, RawClient client, Transcript transcript)
      throws Exception {
    transcript.awaitEvents(c.outcome().longest(), patience);
    transcript.drain();
    if (transcript.terminated()) {
      throw new AssertionError(c.id() + ": expected " + c.outcome().alternatives() + ", got "
          + transcript.events() + " and the close " + describeEnd(transcript));
    }
    assertEvents(c, transcript);
    client.send(RawFrame.close(1000, ""));
    transcript.awaitTermination(patience);
    assertCloseFrame(c, transcript, 1000);
    assertEvents(c, transcript); // nothing more before the close reply
    assertTcpClosedAfterHandshake(c, transcript);
  }

  private void answersClose(ConformanceCase c, Transcript transcript) throws Exception {
    transcript.awaitTermination(patience);
    assertCloseFrame(c, transcript, c.outcome().code());
    assertEvents(c, transcript);
    assertTcpClosedAfterHandshake(c, transcript);
  }

  private void fails(ConformanceCase c, RawClient client, Transcript transcript)
      throws Exception {
    transcript.awaitTermination(patience);
    if (!transcript.terminated()) {
      throw new AssertionError(c.id() + ": the connection was not failed; got "
          + transcript.events());
    }
    assertEvents(c, transcript);
    RawFrame close = transcript.closeFrame();
    if (close == null) {
      if (closeFrameRequired) {
        throw new AssertionError(c.id() + ": the server dropped TCP without a close frame: "
            + transcript.end());
      }
      return; // dropped TCP, which the suite accepts when it does not require a clean close
    }
    assertCloseFrame(c, transcript, c.outcome().code());
    try {
      client.send(RawFrame.close(close.closeCode(), ""));
    } catch (IOException e) {
      // the server may be gone already; its close frame is what counts
    }
    transcript.awaitEnd(closeTimeout);
    if (transcript.end() == null) {
      throw new AssertionError(c.id() + ": the server kept TCP open "
          + closeTimeout.toMillis() + " ms after failing the connection");
    }
  }

  private static void assertEvents(ConformanceCase c, Transcript transcript) {
    List<Event> got = transcript.events();
    if (!c.outcome().alternatives().contains(got)) {
      throw new AssertionError(c.id() + ": expected " + c.outcome().alternatives().get(0)
          + (c.outcome().alternatives().size() > 1
              ? " (or " + c.outcome().alternatives().subList(1,
                  c.outcome().alternatives().size()) + ")" : "")
          + ", got " + got + (transcript.terminated() ? " then " + describeEnd(transcript) : ""));
    }
  }

  private static void assertCloseFrame(ConformanceCase c, Transcript transcript, int code) {
    RawFrame close = transcript.closeFrame();
    if (close == null) {
      throw new AssertionError(c.id() + ": expected a close frame with "
          + (code == Outcome.NO_CODE ? "no code" : code) + ", got " + describeEnd(transcript)
          + " after " + transcript.events());
    }
    int got = close.payloadLength() == 0 ? Outcome.NO_CODE : close.closeCode();
    if (got != code) {
      throw new AssertionError(c.id() + ": expected close code "
          + (code == Outcome.NO_CODE ? "none" : code) + ", got " + close);
    }
  }

  /** A clean end: the server's FIN follows the close handshake within the close timeout. */
  private void assertTcpClosedAfterHandshake(ConformanceCase c, Transcript transcript)
      throws InterruptedException {
    transcript.awaitEnd(closeTimeout);
    RawClient.Ended end = transcript.end();
    if (end == null || end.kind() != RawClient.EndKind.EOF) {
      throw new AssertionError(c.id() + ": expected the server to close TCP cleanly within "
          + closeTimeout.toMillis() + " ms of the close handshake, got "
          + (end == null ? "an open connection" : end));
    }
  }

  private static String describeEnd(Transcript transcript) {
    return transcript.closeFrame() != null ? transcript.closeFrame().toString()
        : transcript.end() != null ? transcript.end().toString() : "(connection open)";
  }
}
