package io.reactivews.testing;

import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameHeader;
import io.reactivews.core.frame.Opcode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded frame put back together from the pieces the decoder emitted, so that outcomes can be
 * compared whatever reads the bytes came in. Joining checks the piece contract on the way: the
 * pieces of a data frame are contiguous from offset 0, share one header, carry at least one byte
 * each (unless the frame is empty) and are not interleaved with other frames; control frames
 * come whole.
 *
 * <pre>{@code
 * assertEquals(
 *     List.of(JoinedFrame.of(true, 0, Opcode.TEXT, true, Bytes.utf8("Hello"))),
 *     JoinedFrame.join(outcome.values()));
 * }</pre>
 *
 * @param header the header every piece carried
 * @param payload the payload bytes received, all of them when {@code complete}
 * @param complete whether the last piece ended the frame; only the final entry of a stream that
 *     stopped inside a frame is incomplete
 */
public record JoinedFrame(FrameHeader header, byte[] payload, boolean complete) {

  /** A complete frame as expected from the decoder. */
  public static JoinedFrame of(
      boolean fin, int rsv, Opcode opcode, boolean masked, byte[] payload) {
    FrameHeader header = new FrameHeader(fin, rsv, opcode, masked, payload.length);
    return new JoinedFrame(header, payload, true);
  }

  /** A final frame without reserved bits, as expected from the decoder. */
  public static JoinedFrame of(Opcode opcode, boolean masked, byte[] payload) {
    return of(true, 0, opcode, masked, payload);
  }

  /** The start of a frame that announced {@code length} bytes, of which {@code soFar} came. */
  public static JoinedFrame partial(
      boolean fin, int rsv, Opcode opcode, boolean masked, long length, byte[] soFar) {
    return new JoinedFrame(new FrameHeader(fin, rsv, opcode, masked, length), soFar, false);
  }

  /**
   * Joins pieces into frames, checking the piece contract.
   *
   * @throws AssertionError if the pieces break the contract
   */
  public static List<JoinedFrame> join(List<Frame> pieces) {
    List<JoinedFrame> frames = new ArrayList<>();
    FrameHeader open = null;
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (int i = 0; i < pieces.size(); i++) {
      Frame piece = pieces.get(i);
      String where = "piece " + i + " (" + piece + ")";
      if (piece.opcode().isControl() && !piece.isWhole()) {
        throw new AssertionError(where + ": control frames must come whole");
      }
      if (open == null) {
        if (!piece.startsFrame()) {
          throw new AssertionError(where + ": first piece of a frame at offset " + piece.offset());
        }
        open = piece.header();
        payload.reset();
      } else {
        if (!piece.header().equals(open)) {
          throw new AssertionError(where + ": expected a piece of " + open);
        }
        if (piece.offset() != payload.size()) {
          throw new AssertionError(
              where + ": offset " + piece.offset() + ", expected " + payload.size());
        }
      }
      if (piece.length() == 0 && open.payloadLength() != 0) {
        throw new AssertionError(where + ": empty piece of a non-empty frame");
      }
      payload.writeBytes(piece.payloadArray());
      if (payload.size() > open.payloadLength()) {
        throw new AssertionError(where + ": more bytes than the header announced");
      }
      if (piece.endsFrame()) {
        frames.add(new JoinedFrame(open, payload.toByteArray(), true));
        open = null;
      }
    }
    if (open != null) {
      frames.add(new JoinedFrame(open, payload.toByteArray(), false));
    }
    return frames;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JoinedFrame other
        && other.header.equals(header)
        && Arrays.equals(other.payload, payload)
        && other.complete == complete;
  }

  @Override
  public int hashCode() {
    return header.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return (complete ? "" : "PARTIAL ") + header + " [" + Bytes.toHex(payload) + "]";
  }
}
