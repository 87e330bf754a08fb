package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.reactivews.core.Role;
import io.reactivews.testing.Bytes;
import io.reactivews.testing.RawFrame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 section 5.2 on the way out, byte-exact: the examples of section 5.7, the three length
 * forms at their boundaries, client masking with a chosen key and a fresh key per frame, and the
 * refusal to write control frames the protocol forbids.
 */
class FrameEncoderTest {

  private static final FrameEncoder SERVER = FrameEncoder.forRole(Role.SERVER);
  private static final FrameEncoder RFC_CLIENT = FrameEncoder.masking(() -> 0x37fa213d);
  private static final ByteBufAllocator[] ALLOCATORS = {
    PooledByteBufAllocator.DEFAULT,
    new UnpooledByteBufAllocator(true),
    new UnpooledByteBufAllocator(false)
  };

  /** Encodes with each kind of allocator, checks they agree, and returns the bytes. */
  private static byte[] encode(FrameEncoder encoder, Frame frame) {
    byte[] first = null;
    for (ByteBufAllocator alloc : ALLOCATORS) {
      ByteBuf out = encoder.encode(alloc, frame);
      try {
        byte[] bytes = ByteBufUtil.getBytes(out);
        if (first == null) {
          first = bytes;
        } else {
          assertArrayEquals(first, bytes, "same bytes from " + alloc);
        }
      } finally {
        out.release();
      }
    }
    return first;
  }

  private static byte[] encode(FrameEncoder encoder, boolean fin, Opcode opcode, byte[] payload) {
    ByteBuf out = encoder.encode(PooledByteBufAllocator.DEFAULT, fin, 0, opcode, payload, 0,
        payload.length);
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  @Test
  void rfcSingleFrameUnmaskedText() {
    // RFC 6455 section 5.7: "A single-frame unmasked text message".
    assertEquals("81 05 48 65 6c 6c 6f",
        Bytes.toHex(encode(SERVER, Frame.of(Opcode.TEXT, Bytes.utf8("Hello")))));
  }

  @Test
  void rfcSingleFrameMaskedText() {
    // RFC 6455 section 5.7: "A single-frame masked text message".
    assertEquals("81 85 37 fa 21 3d 7f 9f 4d 51 58",
        Bytes.toHex(encode(RFC_CLIENT, Frame.of(Opcode.TEXT, Bytes.utf8("Hello")))));
  }

  @Test
  void rfcFragmentedUnmaskedText() {
    // RFC 6455 section 5.7: "A fragmented unmasked text message".
    assertEquals("01 03 48 65 6c",
        Bytes.toHex(encode(SERVER, false, Opcode.TEXT, Bytes.utf8("Hel"))));
    assertEquals("80 02 6c 6f",
        Bytes.toHex(encode(SERVER, true, Opcode.CONTINUATION, Bytes.utf8("lo"))));
  }

  @Test
  void rfcPingAndMaskedPong() {
    // RFC 6455 section 5.7: "Unmasked Ping request and masked Ping response".
    assertEquals("89 05 48 65 6c 6c 6f",
        Bytes.toHex(encode(SERVER, Frame.of(Opcode.PING, Bytes.utf8("Hello")))));
    assertEquals("8a 85 37 fa 21 3d 7f 9f 4d 51 58",
        Bytes.toHex(encode(RFC_CLIENT, Frame.of(Opcode.PONG, Bytes.utf8("Hello")))));
  }

  @Test
  void rfc256BytesBinaryInOneUnmaskedFrame() {
    // RFC 6455 section 5.7: 0x82 0x7E 0x0100 [256 bytes of binary data].
    byte[] payload = Bytes.pattern(256);
    byte[] wire = encode(SERVER, Frame.of(Opcode.BINARY, payload));
    assertEquals(4 + 256, wire.length);
    assertArrayEquals(Bytes.concat(Bytes.hex("82 7e 01 00"), payload), wire);
  }

  @Test
  void rfc64KibBinaryInOneUnmaskedFrame() {
    // RFC 6455 section 5.7: 0x82 0x7F 0x0000000000010000 [65536 bytes of binary data].
    byte[] payload = Bytes.pattern(65536);
    byte[] wire = encode(SERVER, Frame.of(Opcode.BINARY, payload));
    assertEquals(10 + 65536, wire.length);
    assertArrayEquals(Bytes.concat(Bytes.hex("82 7f 00 00 00 00 00 01 00 00"), payload), wire);
  }

  @Test
  void lengthFormsAtTheirBoundaries() {
    String[][] cases = {
      {"0", "82 00"},
      {"125", "82 7d"},
      {"126", "82 7e 00 7e"},
      {"65535", "82 7e ff ff"},
      {"65536", "82 7f 00 00 00 00 00 01 00 00"},
      {"65537", "82 7f 00 00 00 00 00 01 00 01"},
    };
    for (String[] c : cases) {
      int length = Integer.parseInt(c[0]);
      byte[] payload = Bytes.pattern(length);
      assertArrayEquals(Bytes.concat(Bytes.hex(c[1]), payload),
          encode(SERVER, Frame.of(Opcode.BINARY, payload)), "length " + length);
      assertEquals(Bytes.hex(c[1]).length, FrameHeader.lengthOnWire(length, false));
      assertEquals(Bytes.hex(c[1]).length + 4, FrameHeader.lengthOnWire(length, true));
    }
  }

  /** Two independent implementations agree: the encoder and the test's byte-by-byte builder. */
  @Test
  void maskedFramesMatchAByteByByteBuilder() {
    int[] lengths = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 125, 126, 127, 1000, 65535, 65536};
    IntSupplier keys = RawFrame.keys(6455);
    for (int length : lengths) {
      int key = keys.getAsInt();
      byte[] payload = Bytes.pattern(length);
      byte[] expected = RawFrame.binary(payload).masked(key).bytes();
      assertArrayEquals(expected, encode(FrameEncoder.masking(() -> key),
          Frame.of(Opcode.BINARY, payload)), "length " + length);
    }
  }

  @Test
  void finAndReservedBitsAreWritten() {
    for (int rsv = 0; rsv <= 7; rsv++) {
      for (boolean fin : new boolean[] {true, false}) {
        byte[] wire = encode(SERVER, Frame.of(fin, rsv, Opcode.TEXT, Bytes.utf8("a")));
        assertEquals((fin ? 0x80 : 0) | rsv << 4 | 0x1, wire[0] & 0xFF);
      }
    }
  }

  @Test
  void serverEncoderNeverMasks() {
    assertFalse(SERVER.masks());
    assertTrue(FrameEncoder.forRole(Role.CLIENT).masks());
    assertTrue(RFC_CLIENT.masks());
    ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      assertEquals(0, SERVER.writeHeader(out, true, 0, Opcode.BINARY, 3));
      assertEquals("82 03", Bytes.toHex(ByteBufUtil.getBytes(out)));
    } finally {
      out.release();
    }
  }

  @Test
  void writeHeaderReturnsTheKeyItWrote() {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      assertEquals(0x37fa213d, RFC_CLIENT.writeHeader(out, true, 0, Opcode.TEXT, 70_000));
      assertEquals("81 ff 00 00 00 00 00 01 11 70 37 fa 21 3d",
          Bytes.toHex(ByteBufUtil.getBytes(out)));
    } finally {
      out.release();
    }
  }

  /** Section 5.3: each frame gets "a new masking key ... freshly and randomly" chosen. */
  @Test
  void clientsUseAFreshKeyForEveryFrame() {
    FrameEncoder client = FrameEncoder.forRole(Role.CLIENT);
    Set<Integer> keys = new HashSet<>();
    byte[] payload = Bytes.utf8("same payload every time");
    Set<String> wires = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      byte[] wire = encode(client, true, Opcode.TEXT, payload);
      assertEquals(0x81, wire[0] & 0xFF);
      assertEquals(0x80 | payload.length, wire[1] & 0xFF);
      int key = java.nio.ByteBuffer.wrap(wire, 2, 4).getInt();
      keys.add(key);
      wires.add(Bytes.toHex(wire));
      assertArrayEquals(RawFrame.text("same payload every time").masked(key).bytes(), wire);
    }
    // 1000 random 32-bit keys collide with a probability near 1e-4; three collisions, never.
    assertTrue(keys.size() >= 998, "distinct keys: " + keys.size());
    assertTrue(wires.size() >= 998, "distinct wire bytes: " + wires.size());
  }

  @Test
  void theKeySupplierIsAskedOncePerFrame() {
    AtomicInteger calls = new AtomicInteger();
    FrameEncoder counting = FrameEncoder.masking(() -> 0x01010101 * calls.incrementAndGet());
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] wire = encode(counting, true, Opcode.BINARY, new byte[0]);
      headers.add(Bytes.toHex(wire));
    }
    assertEquals(3, calls.get());
    assertEquals(List.of("82 80 01 01 01 01", "82 80 02 02 02 02", "82 80 03 03 03 03"), headers);
  }

  @Test
  void maskingLeavesTheCallersArrayAlone() {
    byte[] payload = Bytes.pattern(50);
    byte[] copy = payload.clone();
    encode(RFC_CLIENT, Frame.of(Opcode.BINARY, payload));
    assertArrayEquals(copy, payload);
  }

  @Test
  void encodesASliceOfAnArray() {
    byte[] array = Bytes.utf8("xxHelloxx");
    ByteBuf out = SERVER.encode(PooledByteBufAllocator.DEFAULT, true, 0, Opcode.TEXT, array, 2, 5);
    try {
      assertEquals("81 05 48 65 6c 6c 6f", Bytes.toHex(ByteBufUtil.getBytes(out)));
    } finally {
      out.release();
    }
  }

  /**
   * A payload past one slice goes out as slices of at most {@link FrameEncoder#SLICE} bytes (the
   * first behind the head), masked and unmasked, from anywhere in an array: the same bytes as the
   * byte-by-byte builder's, and nothing larger asked of the allocator.
   */
  @Test
  void largePayloadsGoOutInSlicesNoLargerThanASlice() {
    int slice = FrameEncoder.SLICE;
    int[] lengths = {slice - 1, slice, slice + 1, slice + 3, 2 * slice + 13, 1 << 20};
    IntSupplier keys = RawFrame.keys(17);
    for (int length : lengths) {
      byte[] payload = Bytes.pattern(length);
      byte[] padded = new byte[length + 5];
      System.arraycopy(payload, 0, padded, 3, length);
      int key = keys.getAsInt();
      for (FrameEncoder encoder : new FrameEncoder[] {SERVER, FrameEncoder.masking(() -> key)}) {
        byte[] expected = encoder.masks()
            ? RawFrame.binary(payload).masked(key).bytes() : RawFrame.binary(payload).bytes();
        String what = length + " bytes, masked " + encoder.masks();
        assertArrayEquals(expected, encode(encoder, Frame.of(Opcode.BINARY, payload)), what);
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf out = encoder.encode(alloc, true, 0, Opcode.BINARY, padded, 3, length);
        try {
          assertArrayEquals(expected, ByteBufUtil.getBytes(out), what + ", from offset 3");
          assertEquals((length + slice - 1) / slice, alloc.buffers.size(), what);
          for (ByteBuf buf : alloc.buffers) {
            assertTrue(buf.capacity() <= FrameHeader.MAX_HEADER_LENGTH + slice, what);
          }
        } finally {
          out.release();
        }
        alloc.assertAllReleased();
      }
    }
  }

  /** An allocation that fails halfway through the slices leaves nothing unreleased. */
  @Test
  void aFailedSliceReleasesTheSlicesBeforeIt() {
    for (int failAt = 1; failAt <= 3; failAt++) {
      RecordingAllocator alloc = new RecordingAllocator();
      alloc.failAfter = failAt;
      assertThrows(IllegalStateException.class, () -> RFC_CLIENT.encode(alloc,
          Frame.of(Opcode.BINARY, Bytes.pattern(4 * FrameEncoder.SLICE))));
      assertEquals(failAt, alloc.buffers.size());
      alloc.assertAllReleased();
    }
  }

  /** Section 5.5: control frames are final and carry at most 125 bytes, on the way out too. */
  @Test
  void controlFramesTheProtocolForbidsAreRefused() {
    RecordingAllocator alloc = new RecordingAllocator();
    for (Opcode opcode : new Opcode[] {Opcode.CLOSE, Opcode.PING, Opcode.PONG}) {
      assertThrows(IllegalArgumentException.class,
          () -> SERVER.encode(alloc, Frame.of(opcode, new byte[126])));
      assertThrows(IllegalArgumentException.class,
          () -> RFC_CLIENT.encode(alloc, Frame.of(false, 0, opcode, new byte[1])));
      byte[] ok = encode(SERVER, Frame.of(opcode, new byte[125]));
      assertEquals(2 + 125, ok.length);
    }
    alloc.assertAllReleased();
  }

  @Test
  void piecesCannotBeEncoded() {
    Frame piece = FramePieces.split(true, Opcode.BINARY, Bytes.pattern(4), 2).get(0);
    assertThrows(IllegalArgumentException.class,
        () -> SERVER.encode(PooledByteBufAllocator.DEFAULT, piece));
  }

  /** Remembers every buffer it hands out, to check that a failed encode freed its own. */
  private static final class RecordingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> buffers = new ArrayList<>();
    /** Allocations that succeed before the next one throws. */
    private int failAfter = Integer.MAX_VALUE;

    RecordingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      return record(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return record(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    private ByteBuf record(ByteBuf buf) {
      if (buffers.size() == failAfter) {
        buf.release();
        throw new IllegalStateException("out of buffers");
      }
      buffers.add(buf);
      return buf;
    }

    void assertAllReleased() {
      assertFalse(buffers.isEmpty(), "the encoder allocated before refusing");
      for (ByteBuf buf : buffers) {
        assertEquals(0, buf.refCnt());
      }
    }
  }
}
