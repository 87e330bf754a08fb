package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.testing.Chopping;
import io.reactivews.testing.InboundSource;
import io.reactivews.testing.InboundSource.Memory;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;

/**
 * The decoder told to pool frames: an unfragmented data frame goes into a pooled buffer laid out
 * as a server would send it, pieces lend it, the last piece hands it on; everything else is
 * decoded as ever. Every chop of the input, both kinds of memory; the source poisons each read
 * after it is lent, so a pooled frame that kept a view of the input would show it.
 */
class FrameDecoderPoolingTest {

  private static final FrameDecoder POOLING =
      FrameDecoder.forRole(Role.SERVER).maxFrameSize(1 << 20).pooling(() -> true);

  private static byte[] masked(boolean fin, Opcode opcode, byte[] payload) {
    ByteBuf frame = FrameEncoder.masking(() -> 0x1b2c3d4e)
        .encode(PooledByteBufAllocator.DEFAULT, Frame.of(fin, 0, opcode, payload));
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  private static byte[] serverFrame(Opcode opcode, byte[] payload) {
    ByteBuf frame = FrameEncoder.forRole(Role.SERVER)
        .encode(PooledByteBufAllocator.DEFAULT, Frame.of(opcode, payload));
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  private static byte[] payload(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 7 + 3);
    }
    return bytes;
  }

  /** What a subscriber saw of one pooled frame: its pieces joined, and the buffer handed on. */
  private record Pooled(byte[] joined, byte[] handedOn) {}

  /** Decodes {@code reads}, joining pooled frames and releasing each handed-on buffer. */
  private static List<Object> decode(List<byte[]> reads, Memory memory) {
    InboundSource source = InboundSource.of(memory, reads).lettingReaderRetain();
    List<Object> seen = new ArrayList<>();
    ByteArrayOutputStream pieces = new ByteArrayOutputStream();
    source.flux().transform(POOLING).subscribe(frame -> {
      ByteBuf buffer = frame.buffer();
      if (buffer == null) {
        seen.add(frame.opcode() + " " + frame.length());
        return;
      }
      pieces.writeBytes(frame.payloadArray());
      if (frame.endsFrame()) {
        seen.add(new Pooled(pieces.toByteArray(), ByteBufUtil.getBytes(buffer)));
        pieces.reset();
        buffer.release();
      }
    });
    source.assertClean();
    return seen;
  }

  @Test
  void aDataFrameIsReadIntoAServerFrameAtEveryChop() {
    byte[] text = "pooled ✓".repeat(20).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] input = masked(true, Opcode.TEXT, text);
    Chopping.forEach(input, chop -> {
      for (Memory memory : Memory.values()) {
        List<Object> seen = decode(chop.reads(), memory);
        assertEquals(1, seen.size(), chop + " " + memory);
        Pooled frame = (Pooled) seen.get(0);
        assertArrayEquals(text, frame.joined(), chop + " " + memory);
        assertArrayEquals(serverFrame(Opcode.TEXT, text), frame.handedOn(), chop + " " + memory);
      }
    });
  }

  /** Whether {@code buf} is a window on a larger buffer: a slice of a read. */
  private static boolean isSliceOfLarger(ByteBuf buf) {
    ByteBuf root = buf;
    while (root.unwrap() != null) {
      root = root.unwrap();
    }
    return root.capacity() > buf.capacity();
  }

  @Test
  void aFrameAloneInItsReadIsThatReadUnmaskedInPlace() {
    byte[] big = payload(3000);
    InboundSource source = InboundSource.of(Memory.DIRECT, List.of(masked(true, Opcode.BINARY,
        big))).lettingReaderRetain();
    List<ByteBuf> handedOn = new ArrayList<>();
    source.flux().transform(POOLING).subscribe(frame -> handedOn.add(frame.buffer()));
    ByteBuf frame = handedOn.get(0);
    assertTrue(isSliceOfLarger(frame), "a slice of the read");
    assertArrayEquals(serverFrame(Opcode.BINARY, big), ByteBufUtil.getBytes(frame));
    frame.release();
    source.assertClean();

    // A small frame among others in a larger read is copied: a slice would keep the read alive.
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    read.writeBytes(masked(true, Opcode.BINARY, payload(10)));
    read.writeBytes(masked(true, Opcode.BINARY, big));
    InboundSource shared =
        InboundSource.of(Memory.DIRECT, List.of(read.toByteArray())).lettingReaderRetain();
    List<ByteBuf> two = new ArrayList<>();
    shared.flux().transform(POOLING).subscribe(f -> two.add(f.buffer()));
    assertTrue(!isSliceOfLarger(two.get(0)) && isSliceOfLarger(two.get(1)), two.toString());
    assertArrayEquals(serverFrame(Opcode.BINARY, payload(10)), ByteBufUtil.getBytes(two.get(0)));
    two.forEach(ByteBuf::release);
    shared.assertClean();
  }

  @Test
  void aLargeFrameAcrossReadsIsKeptAsSlicesOfThem() {
    byte[] big = payload(FrameParser.FIRST_CHUNK * 3 + 17);
    byte[] input = masked(true, Opcode.BINARY, big);
    int[] cuts = {1, 9, 14, 15, 4000, FrameParser.FIRST_CHUNK + 14, input.length - 1};
    Chopping.forEach(Chopping.at(input, cuts, false), chop -> {
      List<Object> seen = decode(chop.reads(), Memory.DIRECT);
      assertEquals(1, seen.size(), chop.toString());
      Pooled frame = (Pooled) seen.get(0);
      assertArrayEquals(big, frame.joined(), chop.toString());
      assertArrayEquals(serverFrame(Opcode.BINARY, big), frame.handedOn(), chop.toString());
    });
  }

  @Test
  void fragmentsControlFramesAndEmptyFramesAreNotPooled() {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(masked(false, Opcode.BINARY, payload(10)));
    input.writeBytes(masked(true, Opcode.CONTINUATION, payload(10)));
    input.writeBytes(masked(true, Opcode.PING, payload(5)));
    input.writeBytes(masked(true, Opcode.TEXT, new byte[0]));
    input.writeBytes(masked(true, Opcode.BINARY, payload(3)));
    List<Object> seen = decode(List.of(input.toByteArray()), Memory.HEAP);
    assertEquals(List.of("BINARY 10", "CONTINUATION 10", "PING 5", "TEXT 0"),
        seen.subList(0, 4));
    assertArrayEquals(payload(3), ((Pooled) seen.get(4)).joined());
  }

  @Test
  void nothingIsPooledWhileTheSwitchIsOff() {
    AtomicBoolean on = new AtomicBoolean(false);
    byte[] one = masked(true, Opcode.BINARY, payload(40));
    InboundSource source = InboundSource.of(Memory.DIRECT, one, one).lettingReaderRetain();
    List<Boolean> pooled = new ArrayList<>();
    source.flux().transform(FrameDecoder.forRole(Role.SERVER).pooling(on::get))
        .subscribe(frame -> {
          pooled.add(frame.buffer() != null);
          on.set(true); // asked at each frame's head: the second frame is pooled
          if (frame.buffer() != null) {
            frame.buffer().release();
          }
        });
    assertEquals(List.of(false, true), pooled);
  }

  /** Three whole frames and the first 2,000 bytes of a fourth, in one read. */
  private static byte[] threeAndAHalf() {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      read.writeBytes(masked(true, Opcode.BINARY, payload(100)));
    }
    read.write(masked(true, Opcode.BINARY, payload(5000)), 0, 2000);
    return read.toByteArray();
  }

  @Test
  void aCancelReleasesTheFrameBeingRead() {
    InboundSource source =
        InboundSource.of(Memory.DIRECT, List.of(threeAndAHalf())).lettingReaderRetain();
    List<ByteBuf> seen = new ArrayList<>();
    source.flux().transform(POOLING).subscribe(new BaseSubscriber<Frame>() {
      @Override
      protected void hookOnNext(Frame frame) {
        seen.add(frame.buffer());
        if (frame.endsFrame()) {
          frame.buffer().release();
        } else {
          cancel(); // the fourth frame's first piece: lent, still the parser's
        }
      }
    });
    assertEquals(4, seen.size());
    assertTrue(source.isCancelled());
    assertEquals(0, seen.get(3).refCnt(), "the parser released the frame it was reading");
  }

  @Test
  void aCancelReleasesTheFramesQueuedForLackOfDemand() {
    // Demand for one: the other two whole frames wait in the decoder's queue when the cancel
    // comes. They are released by the decoder; the leak guard reports them otherwise.
    InboundSource source =
        InboundSource.of(Memory.DIRECT, List.of(threeAndAHalf())).lettingReaderRetain();
    List<Frame> seen = new ArrayList<>();
    source.flux().transform(POOLING).subscribe(new BaseSubscriber<Frame>() {
      @Override
      protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
        request(1);
      }

      @Override
      protected void hookOnNext(Frame frame) {
        seen.add(frame);
        frame.buffer().release();
        cancel();
      }
    });
    assertEquals(1, seen.size());
    assertTrue(source.isCancelled());
  }

  @Test
  void aFrameCutByTheEndOfInputIsReleasedWithThe1006() {
    byte[] half = masked(true, Opcode.BINARY, payload(5000));
    byte[] cut = java.util.Arrays.copyOf(half, 3000);
    InboundSource source = InboundSource.of(Memory.DIRECT, List.of(cut)).lettingReaderRetain();
    List<ByteBuf> lent = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    source.flux().transform(POOLING).subscribe(frame -> lent.add(frame.buffer()), errors::add);
    assertEquals(1, errors.size());
    assertNotNull(lent.get(0));
    assertEquals(0, lent.get(0).refCnt(), "the parser's buffer was released");
  }
}
