package io.reactivews.testing.conformance;

import io.reactivews.core.Role;
import io.reactivews.core.compression.DeflateParameters;
import io.reactivews.testing.Deflating;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.conformance.CompressionCases.CompressionCase;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Plays one compression case (suite categories 12 and 13) against an endpoint whose handshake
 * agreed on {@code permessage-deflate}, as the suite's peer does: each message is compressed by
 * the peer's own zlib (keeping context unless the agreement forbids it), cut into fragments,
 * sent, and its echo must come back compressed and equal (or plain, for a message that
 * compression does not shrink, as an endpoint may choose: checked with the peer's own zlib).
 *
 * <p>Every frame of the endpoint is checked as it arrives: RSV1 on the first frame of each
 * message and on no other frame, never RSV2 or RSV3, masked by a client only, no control frame
 * but the closing one. The echo is inflated with a fresh context for each message when the
 * endpoint promised no context takeover, so an endpoint that kept context anyway fails. Then the
 * peer closes with 1000, which must be answered, and TCP must end cleanly within the close
 * timeout (a server peer ends TCP first, as the suite's server does).
 */
public final class CompressionCaseRunner {

  private final Role endpoint;
  private final Duration closeTimeout;

  /** A runner for an endpoint playing {@code endpoint} that ends TCP within the timeout. */
  public CompressionCaseRunner(Role endpoint, Duration closeTimeout) {
    this.endpoint = endpoint;
    this.closeTimeout = closeTimeout;
  }

  public void run(CompressionCase c, PeerConnection connection, DeflateParameters agreed)
      throws Exception {
    boolean peerResets = endpoint == Role.SERVER
        ? agreed.clientNoContextTakeover() : agreed.serverNoContextTakeover();
    boolean endpointResets = endpoint == Role.SERVER
        ? agreed.serverNoContextTakeover() : agreed.clientNoContextTakeover();
    int key = 0x5a3c96e1;
    try (Deflating peer = new Deflating(peerResets, endpointResets)) {
      for (int i = 0; i < c.count(); i++) {
        byte[] message = c.message(i);
        byte[] compressed = peer.deflate(message);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (RawFrame f : fragments(c, compressed)) {
          if (endpoint == Role.SERVER) {
            f = f.masked(key);
            key = key * 0x9E3779B1 + 0x7F4A7C15;
          }
          wire.writeBytes(f.bytes());
        }
        connection.write(wire.toByteArray());
        byte[] echo = nextMessage(c, connection, i, message, agreed, peer);
        if (!Arrays.equals(echo, message)) {
          throw new AssertionError(c.id() + ": message " + i + " of " + message.length
              + " bytes came back as " + echo.length + " different bytes: "
              + HexFormat.of().formatHex(echo, 0, Math.min(24, echo.length)));
        }
      }
    }
    RawFrame close = RawFrame.close(1000, "");
    connection.write((endpoint == Role.SERVER ? close.masked(key) : close).bytes());
    RawFrame answer = nextFrame(c, connection);
    if (answer.opcode() != RawFrame.CLOSE || answer.closeCode() != 1000) {
      throw new AssertionError(c.id() + ": expected the close 1000 answered, got " + answer);
    }
    if (endpoint == Role.CLIENT) {
      connection.shutdownOutput();
    }
    PeerConnection.Inbound end = connection.poll(closeTimeout.plusSeconds(1));
    if (!(end instanceof PeerConnection.Ended ended)
        || ended.kind() != PeerConnection.EndKind.EOF) {
      throw new AssertionError(c.id() + ": expected a clean TCP close after the close "
          + "handshake, got " + end);
    }
  }

  /** The compressed payload as the suite's auto-fragmentation cuts it: RSV1 on the first. */
  private static RawFrame[] fragments(CompressionCase c, byte[] compressed) {
    int opcode = c.isText() ? RawFrame.TEXT : RawFrame.BINARY;
    int size = c.fragment() == 0 ? Math.max(1, compressed.length) : c.fragment();
    int count = Math.max(1, (compressed.length + size - 1) / size);
    RawFrame[] frames = new RawFrame[count];
    for (int i = 0; i < count; i++) {
      byte[] part = Arrays.copyOfRange(compressed, i * size,
          Math.min(compressed.length, (i + 1) * size));
      frames[i] = (i == 0 ? RawFrame.of(opcode, part).rsv(4) : RawFrame.continuation(part))
          .fin(i == count - 1);
    }
    return frames;
  }

  /**
   * The next message of the endpoint, checked frame by frame, inflated if compressed; a plain
   * one only where compressing {@code expected} would not have shrunk it.
   */
  private byte[] nextMessage(CompressionCase c, PeerConnection connection, int i,
      byte[] expected, DeflateParameters agreed, Deflating peer) throws InterruptedException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    boolean first = true;
    boolean compressed = true;
    while (true) {
      RawFrame f = nextFrame(c, connection);
      String at = c.id() + ": echo of message " + i + ": ";
      if (f.isControl()) {
        throw new AssertionError(at + "expected data, got " + f
            + (f.opcode() == RawFrame.CLOSE ? " (code " + f.closeCode() + ")" : ""));
      }
      int expectedOpcode = first ? (c.isText() ? RawFrame.TEXT : RawFrame.BINARY)
          : RawFrame.CONTINUATION;
      if (f.opcode() != expectedOpcode) {
        throw new AssertionError(at + "expected opcode " + expectedOpcode + ", got " + f);
      }
      if (first && f.rsv() == 0) {
        boolean huffmanOnly = (endpoint == Role.SERVER ? agreed.serverWindow()
            : agreed.clientWindow()) < DeflateParameters.MAX_WINDOW_BITS;
        int shrunk = Deflating.compressedLength(expected, huffmanOnly);
        if (shrunk < expected.length) {
          throw new AssertionError(at + "sent plain, though it compresses from "
              + expected.length + " to " + shrunk + " bytes: " + f);
        }
        compressed = false;
      }
      int expectedRsv = first && compressed ? 4 : 0;
      if (f.rsv() != expectedRsv) {
        throw new AssertionError(at + (first ? "the first frame of a compressed message "
            + "carries RSV1 and only RSV1" : "RSV bits on a continuation frame") + ": " + f);
      }
      if (f.isMasked() != (endpoint == Role.CLIENT)) {
        throw new AssertionError(at + (f.isMasked() ? "a masked frame from a server"
            : "an unmasked frame from a client"));
      }
      payload.writeBytes(f.payload());
      if (f.fin()) {
        return compressed ? peer.inflate(payload.toByteArray()) : payload.toByteArray();
      }
      first = false;
    }
  }

  private static RawFrame nextFrame(CompressionCase c, PeerConnection connection)
      throws InterruptedException {
    PeerConnection.Inbound next = connection.poll(CaseRunner.WAIT);
    if (next instanceof PeerConnection.Received received) {
      return received.frame();
    }
    throw new AssertionError(c.id() + ": expected a frame within "
        + CaseRunner.WAIT.toMillis() + " ms, got " + (next == null ? "nothing" : next));
  }
}
