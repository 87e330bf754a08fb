package io.reactivews.testing.conformance;

import io.reactivews.core.Role;
import io.reactivews.testing.RawFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Plays one {@link ConformanceCase} against the endpoint under test over a fresh {@link
 * PeerConnection} and asserts its {@link Outcome}, the way the suite judges a case: the events
 * must equal one acceptable list, the close code must be the expected one, and after the close
 * frames TCP must end within the endpoint's close timeout.
 *
 * <p>The endpoint's role decides the peer's: against a server the peer is a client that masks
 * every frame with a fixed key sequence; against a client it is a server that sends frames as
 * they are (unmasked unless a case chose a mask) and, as the suite's fuzzing server does, ends
 * TCP first once the close frames are exchanged (RFC 6455 section 7.1.1). A server under test
 * must end TCP by itself.
 *
 * <p>Like the suite, a script stops sending once the endpoint closed (its "if still open"
 * guard), and a failed write only matters for cases in which the endpoint should not have closed.
 * Immutable; each {@link #run} uses the calling thread.
 */
public final class CaseRunner {

  /** Bound on every wait for something that should come; failures show up within it. */
  public static final Duration WAIT = Duration.ofSeconds(5);

  /** Opens the peer's connection to the endpoint for one case. */
  @FunctionalInterface
  public interface Connector {
    PeerConnection open(ConformanceCase c) throws Exception;
  }

  /** Pause between the writes of "frame-wise" sends, so each lands in its own read. */
  private static final Duration FRAME_GAP = Duration.ofMillis(2);

  /** The first key of a client peer's sequence; each next key is derived from the last. */
  private static final int FIRST_KEY = 0x37fa213d;

  /** The key a client peer masks a frame sent in {@link Step.Piece pieces} with. */
  private static final int PIECE_KEY = 0x11223344;

  private final Role endpoint;
  private final Connector connector;
  private final Duration closeTimeout;
  private final Duration patience;
  private final boolean closeFrameRequired;

  /**
   * A runner for an endpoint playing {@code endpoint}, reached through {@code connector}, that
   * ends TCP within {@code closeTimeout} of the close handshake.
   */
  public CaseRunner(Role endpoint, Connector connector, Duration closeTimeout) {
    this(endpoint, connector, closeTimeout, WAIT, false);
  }

  private CaseRunner(Role endpoint, Connector connector, Duration closeTimeout,
      Duration patience, boolean closeFrameRequired) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.closeTimeout = closeTimeout;
    this.patience = patience;
    this.closeFrameRequired = closeFrameRequired;
  }

  /**
   * A runner stricter than the suite: a failed connection must get a close frame before the
   * TCP close, which is what this project promises.
   */
  public CaseRunner requiringCloseFrame() {
    return new CaseRunner(endpoint, connector, closeTimeout, patience, true);
  }

  /** A runner that waits less for what does not come (for cases meant to fail). */
  public CaseRunner waitingAtMost(Duration newWait) {
    return new CaseRunner(endpoint, connector, closeTimeout, newWait, closeFrameRequired);
  }

  public void run(ConformanceCase c) throws Exception {
    try (PeerConnection connection = connector.open(c)) {
      new Play(c, connection).run();
    }
  }

  /** One case on one connection: the peer's key sequence and whether it may still write. */
  private final class Play {
    private final ConformanceCase c;
    private final PeerConnection connection;
    private final Transcript transcript;
    private int nextKey = FIRST_KEY;
    private boolean writable = true;

    Play(ConformanceCase c, PeerConnection connection) {
      this.c = c;
      this.connection = connection;
      this.transcript = new Transcript(connection, endpoint);
    }

    void run() throws Exception {
      for (Step step : c.script().steps()) {
        perform(step);
      }
      switch (c.outcome().ending()) {
        case PEER_CLOSES -> peerCloses();
        case ANSWERS_CLOSE -> answersClose();
        case FAILS -> fails();
      }
    }

    private void perform(Step step) throws Exception {
      if (step instanceof Step.Send send) {
        writable = writable && write(() -> send(send));
      } else if (step instanceof Step.Piece piece) {
        writable = writable && write(() -> writePiece(piece));
      } else if (step instanceof Step.Pause pause) {
        Thread.sleep(pause.duration().toMillis());
      } else if (step instanceof Step.Quiet quiet) {
        transcript.assertQuiet(quiet.duration());
      } else if (step instanceof Step.Expect expect) {
        int before = transcript.events().size();
        transcript.awaitEvents(before + expect.events().size(), patience);
        List<Event> got = transcript.events();
        if (!got.subList(before, got.size()).equals(expect.events())) {
          throw new AssertionError(c.id() + ": expected " + expect.events() + " within "
              + patience.toMillis() + " ms, got " + got.subList(before, got.size())
              + (transcript.terminated() ? " and the close " + describeEnd() : ""));
        }
      } else if (step instanceof Step.FailsFirst) {
        transcript.awaitTermination(patience);
        if (!transcript.terminated()) {
          throw new AssertionError(c.id() + ": the connection was not failed within "
              + patience.toMillis() + " ms, before the rest was sent (fail fast)");
        }
      }
    }

    /** Runs a write unless the endpoint closed; answers whether the peer may write on. */
    private boolean write(Write write) throws InterruptedException, IOException {
      transcript.drain();
      if (transcript.terminated()) {
        return false; // the suite sends no more once the endpoint closed
      }
      try {
        write.run();
        return true;
      } catch (IOException e) {
        if (c.outcome().ending() != Outcome.Ending.FAILS) {
          throw e;
        }
        return false; // the endpoint closed while we wrote: judged by the outcome
      }
    }

    private void send(Step.Send send) throws IOException {
      switch (send.chops()) {
        case ONE_WRITE -> connection.write(encode(send.frames()));
        case PER_FRAME -> {
          for (int i = 0; i < send.frames().size(); i++) {
            if (i > 0) {
              sleep(FRAME_GAP);
            }
            connection.write(encode(send.frames().subList(i, i + 1)));
          }
        }
        case FIXED -> {
          byte[] bytes = encode(send.frames());
          for (int from = 0; from < bytes.length; from += send.chopSize()) {
            connection.write(bytes, from, Math.min(send.chopSize(), bytes.length - from));
          }
        }
      }
    }

    private void writePiece(Step.Piece piece) throws IOException {
      RawFrame frame = piece.frame();
      byte[] wire = endpoint == Role.SERVER ? frame.bytes(PIECE_KEY) : frame.bytes();
      int header = wire.length - frame.payloadLength();
      int from = piece.from() == 0 ? 0 : header + piece.from();
      connection.write(wire, from, header + piece.to() - from);
    }

    /** The frames back to back as the peer's role writes them. */
    private byte[] encode(List<RawFrame> frames) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (RawFrame frame : frames) {
        if (endpoint == Role.SERVER) {
          bytes.writeBytes(frame.bytes(nextKey));
          nextKey = nextKey * 0x9E3779B1 + 0x7F4A7C15;
        } else {
          bytes.writeBytes(frame.bytes());
        }
      }
      return bytes.toByteArray();
    }

    private void peerCloses() throws Exception {
      transcript.awaitEvents(c.outcome().longest(), patience);
      transcript.drain();
      if (transcript.terminated()) {
        throw new AssertionError(c.id() + ": expected " + c.outcome().alternatives() + ", got "
            + transcript.events() + " and the close " + describeEnd());
      }
      assertEvents();
      connection.write(encode(List.of(RawFrame.close(1000, ""))));
      transcript.awaitTermination(patience);
      assertCloseFrame(1000);
      assertEvents(); // nothing more before the close reply
      assertTcpClosedAfterHandshake();
    }

    private void answersClose() throws Exception {
      transcript.awaitTermination(patience);
      assertCloseFrame(c.outcome().code());
      assertEvents();
      assertTcpClosedAfterHandshake();
    }

    private void fails() throws Exception {
      transcript.awaitTermination(patience);
      if (!transcript.terminated()) {
        throw new AssertionError(c.id() + ": the connection was not failed; got "
            + transcript.events());
      }
      assertEvents();
      RawFrame close = transcript.closeFrame();
      if (close == null) {
        if (closeFrameRequired) {
          throw new AssertionError(c.id() + ": the " + endpointName()
              + " dropped TCP without a close frame: " + transcript.end());
        }
        return; // dropped TCP, which the suite accepts when it does not require a clean close
      }
      assertCloseFrame(c.outcome().code());
      try {
        connection.write(encode(List.of(RawFrame.close(close.closeCode(), ""))));
        serverPeerEndsTcp();
      } catch (IOException e) {
        // the endpoint may be gone already; its close frame is what counts
      }
      transcript.awaitEnd(closeTimeout);
      if (transcript.end() == null) {
        throw new AssertionError(c.id() + ": the " + endpointName() + " kept TCP open "
            + closeTimeout.toMillis() + " ms after failing the connection");
      }
    }

    /**
     * A clean end: the endpoint's FIN follows the close handshake within the close timeout
     * (for a client, once the peer as server sent its own FIN first).
     */
    private void assertTcpClosedAfterHandshake() throws IOException, InterruptedException {
      serverPeerEndsTcp();
      transcript.awaitEnd(closeTimeout);
      PeerConnection.Ended end = transcript.end();
      if (end == null || end.kind() != PeerConnection.EndKind.EOF) {
        throw new AssertionError(c.id() + ": expected the " + endpointName()
            + " to close TCP cleanly within " + closeTimeout.toMillis()
            + " ms of the close handshake, got " + (end == null ? "an open connection" : end));
      }
    }

    /** As the suite's server does, a server peer ends TCP first after the close frames. */
    private void serverPeerEndsTcp() throws IOException {
      if (endpoint == Role.CLIENT) {
        connection.shutdownOutput();
      }
    }

    private void assertEvents() {
      List<Event> got = transcript.events();
      List<List<Event>> accepted = c.outcome().alternatives();
      if (!accepted.contains(got)) {
        throw new AssertionError(c.id() + ": expected " + accepted.get(0)
            + (accepted.size() > 1 ? " (or " + accepted.subList(1, accepted.size()) + ")" : "")
            + ", got " + got + (transcript.terminated() ? " then " + describeEnd() : ""));
      }
    }

    private void assertCloseFrame(int code) {
      RawFrame close = transcript.closeFrame();
      if (close == null) {
        throw new AssertionError(c.id() + ": expected a close frame with "
            + (code == Outcome.NO_CODE ? "no code" : code) + ", got " + describeEnd()
            + " after " + transcript.events());
      }
      int got = close.payloadLength() == 0 ? Outcome.NO_CODE : close.closeCode();
      if (got != code) {
        throw new AssertionError(c.id() + ": expected close code "
            + (code == Outcome.NO_CODE ? "none" : code) + ", got " + close);
      }
    }

    private String describeEnd() {
      return transcript.closeFrame() != null ? transcript.closeFrame().toString()
          : transcript.end() != null ? transcript.end().toString() : "(connection open)";
    }
  }

  private interface Write {
    void run() throws IOException;
  }

  private String endpointName() {
    return endpoint == Role.SERVER ? "server" : "client";
  }

  private static void sleep(Duration pause) throws IOException {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pausing", e);
    }
  }
}
