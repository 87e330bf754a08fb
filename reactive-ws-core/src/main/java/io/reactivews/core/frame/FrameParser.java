package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The frame reader's state machine (RFC 6455 section 5.2), fed whatever bytes the network gave.
 *
 * <p>States: reading the 2-byte head, then the extended length and masking key, then the
 * payload. A header may be split at any byte; a data frame's payload is handed out piece by piece
 * as it arrives; control frames (at most 125 bytes) are handed out whole. Each rule is checked at
 * the first byte that can break it, so a bad frame fails before its payload arrives.
 *
 * <p>Never keeps a reference to an input buffer: payload bytes are copied (and unmasked) into
 * one array per frame, and each piece is a window on it (see {@link Frame#arrayHoldsFrame()}),
 * so the last piece's array is the whole payload. The array is allocated at the frame's size up
 * to {@value #FIRST_CHUNK} bytes; past that it grows {@value #GROWTH}-fold as bytes arrive, never
 * past the announced size, so a peer that announces a large frame must send a {@value #GROWTH}th
 * of what it makes us allocate. Growing copies what arrived so far; growing by so much at once
 * copies a 1 MiB frame's first 64 KiB once, where fourfold steps copied 320 KiB and allocated a
 * third more. Single-threaded; after it throws, its state is undefined. Not final: the decoder's
 * stage extends it, so that a connection keeps one object for decoding rather than two.
 *
 * <p>While {@code pooling} says so, an unfragmented data frame without extension bits is kept in
 * pooled memory instead, behind the head a server would send it with (see {@link
 * Frame#buffer()}): a session that passes what it receives to a send() then writes it as it is,
 * with no array to zero and no copy out. Such a frame is unmasked in place in the reads and kept
 * as slices of them (which then stay alive until it is written), unless it is small: then it
 * is copied into a buffer of its own ({@link #readPooledPayload}). Until the last piece hands the
 * frame on, the parser owns it, and {@link #dispose()} releases it.
 */
class FrameParser {

  /** The most allocated for a frame before its bytes are actually here. */
  static final int FIRST_CHUNK = 64 * 1024;

  /** How many times larger the array gets each time a frame's bytes outgrow it. */
  static final int GROWTH = 16;

  /**
   * A pooled frame whole in one read becomes a slice of it if it is at least this fraction of
   * the read's capacity: a slice keeps the whole read alive, so small frames are copied.
   */
  static final int SHARE_OF_READ = 8;

  /** A pooled frame across reads from this size on is kept as slices of them, not copied. */
  static final int SLICED_MIN = 8 * 1024;

  /** The largest array the JVM reliably allocates; longer frames get an array per piece. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private static final FrameEncoder SERVER_HEADS = FrameEncoder.forRole(Role.SERVER);
  /** A pooled frame is its head and payload in one buffer, so both must fit an int. */
  private static final int HEAD_ROOM = 10;

  private final boolean expectMasked;
  private final long maxFrameSize;
  private final int allowedRsv;
  /** Whether frames may go to pooled buffers now; null for never. */
  private final BooleanSupplier pooling;

  /**
   * A head cut across reads, gathered here; made the first time one is, since most heads come
   * whole and an idle connection need not carry the array.
   */
  private byte[] head;
  private int headLength;
  private int headNeeded = 2;

  private FrameHeader header;
  private int maskKey;
  private long payloadRead;
  /** The payload of the frame being read: bytes [0, payloadRead) are in; null past MAX_ARRAY. */
  private byte[] payload;
  /** The head of the frame being read sits in the read, just before its payload. */
  private boolean headInPlace;
  /** How the frame being read is kept: in an array, or pooled (see the class comment). */
  private byte kept;
  private static final byte IN_ARRAY = 0;
  private static final byte POOLED = 1; // decided at its first payload byte
  private static final byte COPIED = 2;
  private static final byte SLICED = 3;
  /**
   * Or the pooled frame being read, its head then bytes [0, payloadRead) of payload: a buffer
   * of its own, or a composite of the head and slices of the reads.
   */
  private ByteBuf pooled;

  FrameParser(boolean expectMasked, long maxFrameSize, int allowedRsv) {
    this(expectMasked, maxFrameSize, allowedRsv, null);
  }

  FrameParser(boolean expectMasked, long maxFrameSize, int allowedRsv, BooleanSupplier pooling) {
    this.expectMasked = expectMasked;
    this.maxFrameSize = maxFrameSize;
    this.allowedRsv = allowedRsv;
    this.pooling = pooling;
  }

  /**
   * Releases a pooled frame that is still being read. Call it once input ends, on any path.
   * Public, as the decoder's stage declares it.
   */
  public void dispose() {
    ByteBuf b = pooled;
    if (b != null) {
      pooled = null;
      b.release();
    }
  }

  /** Whether the parser sits between frames, so input may end here cleanly. */
  boolean atFrameBoundary() {
    return header == null && headLength == 0;
  }

  /**
   * Parses every readable byte of {@code in} without moving its indexes, passing frames (and
   * pieces of data frames) to {@code out}.
   *
   * @throws WebSocketException when the input breaks the protocol or a limit
   */
  void parse(ByteBuf in, Consumer<Frame> out) {
    int index = in.readerIndex();
    int end = in.writerIndex();
    headInPlace = false; // a head read in place was in an earlier read, not before this one
    while (index < end) {
      if (header == null) {
        index = readHead(in, index, end);
        if (header != null && header.payloadLength() == 0) {
          out.accept(new Frame(header, Frame.EMPTY, 0));
          header = null;
        }
      } else {
        index = readPayload(in, index, end, out);
      }
    }
  }

  private int readHead(ByteBuf in, int index, int end) {
    if (headLength == 0 && end - index >= 2) {
      // The usual case, a whole head in this read: read it in place, same checks in same order.
      byte b0 = in.getByte(index);
      byte b1 = in.getByte(index + 1);
      int needed = checkFirstTwoBytes(b0, b1);
      if (end - index >= needed) {
        startFrame(headAt(in, index + 2, b0, b1));
        headInPlace = true;
        return index + needed;
      }
    }
    if (head == null) {
      head = new byte[FrameHeader.MAX_HEADER_LENGTH];
    }
    while (index < end) {
      int take = Math.min(headNeeded - headLength, end - index);
      in.getBytes(index, head, headLength, take);
      index += take;
      int before = headLength;
      headLength += take;
      if (before <= 2 && headLength > 2 && (head[1] & 0x7F) == 127 && head[2] < 0) {
        // The first byte of a 64-bit length already says it is out of range.
        throw WebSocketException.protocolError("64-bit payload length with the top bit set");
      }
      if (headLength < headNeeded) {
        return index;
      }
      if (headNeeded == 2) {
        headNeeded = checkFirstTwoBytes(head[0], head[1]);
        if (headNeeded > 2) {
          continue;
        }
      }
      headLength = 0;
      headNeeded = 2;
      startFrame(completeHeader());
      return index;
    }
    return index;
  }

  /** The head whose first two bytes are {@code b0 b1}, with the rest in {@code in} at {@code at}. */
  private FrameHeader headAt(ByteBuf in, int at, byte b0, byte b1) {
    int length7 = b1 & 0x7F;
    long length = length7;
    if (length7 == 126) {
      length = in.getUnsignedShort(at);
      at += 2;
    } else if (length7 == 127) {
      length = in.getLong(at);
      if (length < 0) {
        throw WebSocketException.protocolError("64-bit payload length with the top bit set");
      }
      at += 8;
    }
    checkSize(length);
    boolean masked = (b1 & 0x80) != 0;
    if (masked) {
      maskKey = in.getInt(at);
    }
    return new FrameHeader((b0 & 0x80) != 0, (b0 >> 4) & 7, Opcode.fromCode(b0 & 0x0F), masked,
        length);
  }

  private void startFrame(FrameHeader frame) {
    header = frame;
    payloadRead = 0;
    headInPlace = false;
    long length = frame.payloadLength();
    Opcode opcode = frame.opcode();
    if (pooling != null && (opcode == Opcode.TEXT || opcode == Opcode.BINARY) && frame.fin()
        && frame.rsv() == 0 && length > 0 && length <= Integer.MAX_VALUE - HEAD_ROOM
        && pooling.getAsBoolean()) {
      payload = null;
      kept = POOLED; // how is decided at the first payload byte, with the read in hand
      return;
    }
    kept = IN_ARRAY;
    payload = length == 0 || length > MAX_ARRAY
        ? null : new byte[(int) Math.min(length, FIRST_CHUNK)];
  }

  /** Checks what the first two bytes can tell, and returns how long the whole head is. */
  private int checkFirstTwoBytes(byte b0, byte b1) {
    boolean fin = (b0 & 0x80) != 0;
    int rsv = (b0 >> 4) & 7;
    int code = b0 & 0x0F;
    Opcode opcode = Opcode.fromCode(code);
    if (opcode == null) {
      throw WebSocketException.protocolError("reserved opcode 0x" + Integer.toHexString(code));
    }
    int permitted = opcode.isControl() ? 0 : allowedRsv;
    if ((rsv & ~permitted) != 0) {
      throw WebSocketException.protocolError(
          "reserved bits set without an extension: " + rsvNames(rsv & ~permitted));
    }
    if (opcode.isControl() && !fin) {
      throw WebSocketException.protocolError("fragmented " + opcode + " frame");
    }
    boolean masked = (b1 & 0x80) != 0;
    if (masked != expectMasked) {
      throw WebSocketException.protocolError(
          expectMasked ? "unmasked frame from a client" : "masked frame from a server");
    }
    int length7 = b1 & 0x7F;
    if (opcode.isControl() && length7 > FrameHeader.MAX_CONTROL_PAYLOAD) {
      throw WebSocketException.protocolError(opcode + " frame with an extended length:"
          + " control frames carry at most 125 bytes");
    }
    int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    if (extended == 0) {
      checkSize(length7);
    }
    return 2 + extended + (masked ? 4 : 0);
  }

  private FrameHeader completeHeader() {
    boolean fin = (head[0] & 0x80) != 0;
    int rsv = (head[0] >> 4) & 7;
    Opcode opcode = Opcode.fromCode(head[0] & 0x0F);
    boolean masked = (head[1] & 0x80) != 0;
    int length7 = head[1] & 0x7F;
    long length;
    int at = 2;
    if (length7 == 126) {
      length = (head[2] & 0xFFL) << 8 | (head[3] & 0xFFL);
      at = 4;
    } else if (length7 == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = length << 8 | (head[i] & 0xFFL);
      }
      if (length < 0) {
        throw WebSocketException.protocolError("64-bit payload length with the top bit set");
      }
      at = 10;
    } else {
      length = length7;
    }
    checkSize(length);
    if (masked) {
      maskKey = (head[at] & 0xFF) << 24 | (head[at + 1] & 0xFF) << 16
          | (head[at + 2] & 0xFF) << 8 | (head[at + 3] & 0xFF);
    }
    return new FrameHeader(fin, rsv, opcode, masked, length);
  }

  private void checkSize(long length) {
    if (length > maxFrameSize) {
      throw WebSocketException.tooBig(
          "frame of " + length + " bytes exceeds the limit of " + maxFrameSize);
    }
  }

  private int readPayload(ByteBuf in, int index, int end, Consumer<Frame> out) {
    if (kept != IN_ARRAY) {
      return readPooledPayload(in, index, end, out);
    }
    FrameHeader frame = header;
    long length = frame.payloadLength();
    int n = (int) Math.min(length - payloadRead, end - index);
    long at = payloadRead;
    byte[] array = payload;
    int arrayOffset = (int) at;
    if (array == null) {
      array = new byte[n]; // a frame past what one array holds: an array per piece
      arrayOffset = 0;
    } else if (at + n > array.length) {
      array = Arrays.copyOf(array,
          (int) Math.min(Math.max(at + n, (long) array.length * GROWTH), length));
      payload = array;
    }
    copy(in, index, array, arrayOffset, n);
    payloadRead += n;
    boolean ends = payloadRead == length;
    if (ends) {
      header = null;
      payload = null;
    }
    if (!frame.opcode().isControl()) {
      out.accept(new Frame(frame, array, arrayOffset, n, at));
    } else if (ends) {
      out.accept(new Frame(frame, array, 0));
    }
    return index + n;
  }

  /**
   * A piece of a pooled frame. Three ways, chosen at its first payload byte, each unmasking the
   * bytes once:
   *
   * <ul>
   *   <li>the whole frame in this read, head included, and a good share of the read: unmasked in
   *       place, the server's head written over the end of the client's (four bytes shorter, for
   *       the masking key), and the frame is a slice of the read: no copy at all;
   *   <li>a large frame across reads: each piece unmasked in place and added to a composite
   *       behind a head of its own, so a 1 MiB frame is never copied either;
   *   <li>otherwise (a small frame across reads, or one that would keep a large read alive for a
   *       few bytes): copied into a buffer of its own.
   * </ul>
   */
  private int readPooledPayload(ByteBuf in, int index, int end, Consumer<Frame> out) {
    FrameHeader frame = header;
    long length = frame.payloadLength();
    int n = (int) Math.min(length - payloadRead, end - index);
    if (kept == POOLED) {
      int head = FrameHeader.lengthOnWire(length, false);
      if (n == length && headInPlace && length * SHARE_OF_READ >= in.capacity()
          && !in.isReadOnly()) {
        unmaskInPlace(frame, in, index, n);
        FrameEncoder.setHead(in, index - head, true, 0, frame.opcode(), length, false);
        header = null;
        kept = IN_ARRAY;
        out.accept(new Frame(frame, in.retainedSlice(index - head, head + n), head, n, 0));
        return index + n;
      }
      kept = length >= SLICED_MIN && !in.isReadOnly() ? SLICED : COPIED;
      ByteBuf headOrFrame = in.alloc().directBuffer(kept == SLICED ? head
          : head + (int) Math.min(length, FIRST_CHUNK), head + (int) length);
      pooled = headOrFrame; // from here on, dispose() releases it
      SERVER_HEADS.writeHeader(headOrFrame, true, 0, frame.opcode(), length);
      if (kept == SLICED) {
        // As many components as slices, so the composite never merges them by copying.
        CompositeByteBuf slices = in.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
        pooled = slices; // adding releases the head if it fails, and dispose() the composite
        slices.addComponent(true, headOrFrame);
      }
    }
    ByteBuf b = pooled;
    int at = b.writerIndex();
    if (kept == SLICED) {
      unmaskInPlace(frame, in, index, n);
      ((CompositeByteBuf) b).addComponent(true, in.retainedSlice(index, n));
    } else {
      // Grows, if ever (a large frame in read-only reads), as the buffer's allocator grows it.
      if (frame.masked()) {
        Masking.maskInto(in, index, n, b, maskKey, (int) (payloadRead & 3));
      } else {
        b.writeBytes(in, index, n);
      }
    }
    long offset = payloadRead;
    payloadRead += n;
    if (payloadRead == length) {
      header = null;
      kept = IN_ARRAY;
      pooled = null; // the last piece hands it on
    }
    out.accept(new Frame(frame, b, at, n, offset));
    return index + n;
  }

  private void unmaskInPlace(FrameHeader frame, ByteBuf in, int index, int n) {
    if (frame.masked()) {
      Masking.maskInPlace(in, index, n, maskKey, (int) (payloadRead & 3));
    }
  }

  private void copy(ByteBuf in, int index, byte[] dst, int dstOffset, int n) {
    if (header.masked()) {
      Masking.unmask(in, index, dst, dstOffset, n, maskKey, (int) (payloadRead & 3));
    } else {
      in.getBytes(index, dst, dstOffset, n);
    }
  }

  private static String rsvNames(int bits) {
    StringBuilder sb = new StringBuilder();
    if ((bits & FrameHeader.RSV1) != 0) {
      sb.append("RSV1 ");
    }
    if ((bits & FrameHeader.RSV2) != 0) {
      sb.append("RSV2 ");
    }
    if ((bits & FrameHeader.RSV3) != 0) {
      sb.append("RSV3 ");
    }
    return sb.toString().trim();
  }
}
