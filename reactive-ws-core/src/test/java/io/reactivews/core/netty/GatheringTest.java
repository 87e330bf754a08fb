package io.reactivews.core.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Small frames of one turn become one buffer; bytes keep their order and nothing leaks. */
class GatheringTest {

  private final Gathering gathering = new Gathering(PooledByteBufAllocator.DEFAULT);
  private final List<ByteBuf> written = new ArrayList<>();
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private int counter;

  private ByteBuf frame(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) counter++;
    }
    sent.writeBytes(bytes);
    return Unpooled.wrappedBuffer(bytes);
  }

  private void add(ByteBuf frame) {
    add(gathering, frame);
  }

  private void endTurn() {
    endTurn(gathering);
  }

  private void add(Gathering into, ByteBuf frame) {
    ByteBuf ready = into.gather(frame);
    if (ready != null) {
      written.add(ready);
    }
  }

  private void endTurn(Gathering of) {
    ByteBuf ready = of.takeGathered();
    if (ready != null) {
      written.add(ready);
    }
  }

  /** Every byte written, in order, each written buffer released. */
  private byte[] drainWritten() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf buf : written) {
      out.writeBytes(ByteBufUtil.getBytes(buf));
      assertEquals(1, buf.refCnt(), "a written buffer is the writer's alone");
      buf.release();
    }
    written.clear();
    return out.toByteArray();
  }

  /** An allocator whose direct buffers come from {@code direct}; its heap buffers are plain. */
  private static ByteBufAllocator directFrom(BiFunction<Integer, Integer, ByteBuf> direct) {
    return new AbstractByteBufAllocator() {
      @Override
      protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return Unpooled.buffer(initialCapacity, maxCapacity);
      }

      @Override
      protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return direct.apply(initialCapacity, maxCapacity);
      }

      @Override
      public boolean isDirectBufferPooled() {
        return false;
      }
    };
  }

  @Test
  void aFrameAloneIsWrittenAsItIsWithoutACopy() {
    ByteBuf only = frame(64);
    add(only);
    endTurn();
    assertEquals(1, written.size());
    assertSame(only, written.get(0));
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  @Test
  void aBurstOfSmallFramesIsOneWrite() {
    for (int i = 0; i < Gathering.CAPACITY / 66; i++) {
      add(frame(66));
    }
    endTurn();
    assertEquals(1, written.size());
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  @Test
  void aLargeFrameIsNeverCopiedAndKeepsItsPlace() {
    add(frame(10));
    add(frame(20));
    ByteBuf large = frame(Gathering.SMALL + 1);
    add(large);
    add(frame(30));
    endTurn();
    assertEquals(3, written.size());
    assertSame(large, written.get(1));
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  @Test
  void aFullBufferIsHandedOverAndGatheringGoesOn() {
    int frames = 3 * Gathering.CAPACITY / Gathering.SMALL;
    for (int i = 0; i < frames; i++) {
      add(frame(Gathering.SMALL));
    }
    endTurn();
    assertEquals(3, written.size());
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  @Test
  void anyMixOfSizesComesOutInOrder() {
    Random random = new Random(17);
    for (int turn = 0; turn < 200; turn++) {
      int frames = random.nextInt(12);
      for (int i = 0; i < frames; i++) {
        int size = random.nextInt(4) == 0 ? Gathering.SMALL + random.nextInt(3000)
            : random.nextInt(Gathering.SMALL + 1);
        add(frame(size));
      }
      endTurn();
    }
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  @Test
  void releaseDropsWhatWasKept() {
    ByteBuf first = frame(10);
    add(first);
    gathering.dropGathered();
    assertEquals(0, first.refCnt());
    add(frame(10));
    add(frame(10));
    gathering.dropGathered();
    assertNull(gathering.takeGathered());
  }

  @Test
  void framesThatCannotBeGatheredForWantOfMemoryGoOutOneByOneInOrder() {
    ByteBufAllocator refusing = directFrom((initial, max) -> {
      throw new OutOfMemoryError("no direct memory in this test");
    });
    Gathering starved = new Gathering(refusing);
    ByteBuf first = frame(10);
    ByteBuf second = frame(20);
    ByteBuf third = frame(30);
    assertNull(starved.gather(first));
    assertSame(first, starved.gather(second), "the held frame goes out alone, not lost");
    assertSame(second, starved.gather(third));
    assertSame(third, starved.takeGathered());
    assertNull(starved.takeGathered());
    for (ByteBuf frame : List.of(first, second, third)) {
      assertEquals(1, frame.refCnt(), "each frame is handed over with its reference");
      frame.release();
    }
  }

  @Test
  void aGatheredBufferThatCannotGrowIsHandedOverAndTheNextFrameStartsAgain() {
    boolean[] refusing = {false};
    // Starts small, so that the third frame needs it to grow, which the test then refuses.
    Gathering starved = new Gathering(directFrom((initial, max) ->
        new UnpooledDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, initial, max) {
          @Override
          public ByteBuf capacity(int newCapacity) {
            if (refusing[0] && newCapacity > capacity()) {
              throw new OutOfMemoryError("no direct memory in this test");
            }
            return super.capacity(newCapacity);
          }
        }));
    add(starved, frame(10));
    add(starved, frame(10)); // gathered: a buffer of 20 bytes
    refusing[0] = true;
    add(starved, frame(10)); // no room, and none to be had: the 20 bytes go, this one is held
    refusing[0] = false;
    endTurn(starved);
    assertEquals(2, written.size());
    assertEquals(20, written.get(0).readableBytes());
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  /**
   * A turn that gathers for many channels must not hold much more memory than it fills: the
   * allocator frees what the flush gives back, and the next turn would fault in fresh memory.
   */
  @Test
  void aGatheringAsksForWhatItGatheredLastTimeNotForTheMost() {
    List<int[]> asks = new ArrayList<>();
    List<ByteBuf> out = gatherTurns(new Gathering(recording(asks)), 3, 32, 66);
    assertEquals(3, out.size(), "each burst fits one buffer, handed over at the turn's end");
    assertEquals(List.of(2 * 66, 32 * 66, 32 * 66), asks.stream().map(ask -> ask[0]).toList(),
        "the first turn asks for the two frames at hand, later ones for the last burst");
    for (ByteBuf buf : out) {
      assertEquals(32 * 66, buf.readableBytes(), "a short buffer grew to hold the burst");
      written.add(buf);
    }
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  /**
   * A turn's share of 12 KiB (compressed frames of a broadcast) goes out in buffers of at most
   * 4 KiB: the same bytes held in 16 KiB buffers across a thousand channels made the allocator
   * free and map fresh memory every turn.
   */
  @Test
  void aLargeShareIsGatheredIntoBuffersOfAtMostFourKibibytes() {
    List<int[]> asks = new ArrayList<>();
    List<ByteBuf> out = gatherTurns(new Gathering(recording(asks)), 2, 40, 300);
    assertEquals(List.of(4096), asks.stream().map(ask -> ask[1]).distinct().toList(),
        "no buffer may grow past 4 KiB");
    assertEquals(8, out.size(), "12,000 bytes a turn, 13 frames of 300 B to a buffer");
    for (ByteBuf buf : out) {
      assertTrue(buf.readableBytes() <= 4096);
      written.add(buf);
    }
    assertArrayEquals(sent.toByteArray(), drainWritten());
  }

  /**
   * Adds {@code frames} frames of {@code size} bytes in each of {@code turns} turns, each ended by
   * a take; returns every buffer handed over, in order.
   */
  private List<ByteBuf> gatherTurns(Gathering gathering, int turns, int frames, int size) {
    List<ByteBuf> out = new ArrayList<>();
    for (int turn = 0; turn < turns; turn++) {
      for (int i = 0; i < frames; i++) {
        ByteBuf ready = gathering.gather(frame(size));
        if (ready != null) {
          out.add(ready);
        }
      }
      out.add(gathering.takeGathered());
    }
    return out;
  }

  /** Unpooled direct buffers, each ask recorded as its initial and its most capacity. */
  private static ByteBufAllocator recording(List<int[]> asks) {
    return directFrom((initial, max) -> {
      asks.add(new int[] {initial, max});
      return Unpooled.directBuffer(initial, max);
    });
  }
}
