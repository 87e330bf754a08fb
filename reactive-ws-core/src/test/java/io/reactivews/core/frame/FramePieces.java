package io.reactivews.core.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the pieces of a data frame exactly as the decoder would hand them out, for tests of
 * what consumes frames (the message assembler) that want to choose every piece themselves.
 * Lives in the frame package because pieces have no public constructor: outside tests, only the
 * decoder makes them. Stateless.
 *
 * <pre>{@code
 * // a 5-byte final text frame that arrives as "He" then "llo"
 * List<Frame> pieces = FramePieces.split(true, Opcode.TEXT, Bytes.utf8("Hello"), 2);
 * }</pre>
 */
public final class FramePieces {

  private FramePieces() {}

  /** The piece of a frame with {@code header} that holds {@code bytes} from {@code offset}. */
  public static Frame piece(FrameHeader header, byte[] bytes, long offset) {
    if (offset < 0 || offset + bytes.length > header.payloadLength()) {
      throw new IllegalArgumentException(
          bytes.length + " bytes at " + offset + " do not fit " + header);
    }
    return new Frame(header, bytes.clone(), offset);
  }

  /**
   * An unmasked frame's payload cut at {@code cuts} (ascending offsets), one piece per part.
   * With no cuts, the whole frame.
   */
  public static List<Frame> split(boolean fin, Opcode opcode, byte[] payload, int... cuts) {
    FrameHeader header = new FrameHeader(fin, 0, opcode, false, payload.length);
    List<Frame> pieces = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      pieces.add(piece(header, Arrays.copyOfRange(payload, from, cut), from));
      from = cut;
    }
    pieces.add(piece(header, Arrays.copyOfRange(payload, from, payload.length), from));
    return pieces;
  }

  /** The first piece of a frame whose header announces {@code length} bytes. */
  public static Frame start(boolean fin, Opcode opcode, long length, byte[] first) {
    return piece(new FrameHeader(fin, 0, opcode, false, length), first, 0);
  }
}
