package io.reactivews.core.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.internal.PooledMessages;
import io.reactivews.testing.InboundSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Long text in pooled network buffers, checked as UTF-8 a slice at a time through a scratch
 * array: characters that straddle a slice's cut are judged as a whole, and a bad byte on either
 * side of a cut is named exactly, whether the frame is one read, or reads cut elsewhere.
 */
class MessageAssemblerPooledUtf8Test {

  /** Slices are this long; the text spans three of them. */
  private static final int SLICE = 16 * 1024;

  /** Two ASCII bytes, then four-byte characters: one straddles each slice's cut. */
  private static byte[] text() {
    String emoji = "\ud83d\ude00";
    byte[] bytes = ("ab" + emoji.repeat((2 * SLICE + 4000) / 4)).getBytes(StandardCharsets.UTF_8);
    assertEquals(2, (SLICE - 2) % 4, "a character straddles the first cut");
    return bytes;
  }

  private static byte[] masked(byte[] payload) {
    ByteBuf frame = FrameEncoder.masking(() -> 0x1b2c3d4e)
        .encode(PooledByteBufAllocator.DEFAULT, Frame.of(Opcode.TEXT, payload));
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  /** The wire bytes in one read, and in reads of 10,000 bytes. */
  private static List<List<byte[]>> readings(byte[] wire) {
    List<byte[]> cut = new ArrayList<>();
    for (int from = 0; from < wire.length; from += 10_000) {
      cut.add(Arrays.copyOfRange(wire, from, Math.min(wire.length, from + 10_000)));
    }
    return List.of(List.of(wire), cut);
  }

  /** Decodes as a server session does, pooling frames; returns the message or the failure. */
  private static Object assemble(List<byte[]> reads) {
    InboundSource source = InboundSource.of(InboundSource.Memory.DIRECT, reads)
        .lettingReaderRetain();
    List<byte[]> messages = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    source.flux()
        .transform(FrameDecoder.forRole(Role.SERVER).maxFrameSize(1 << 20).pooling(() -> true))
        .transform(MessageAssembler.create())
        .subscribe(message -> {
          messages.add(message.bytes());
          PooledMessages.release(message);
        }, failure::set);
    source.assertClean();
    if (failure.get() != null) {
      assertEquals(List.of(), messages.stream().map(m -> m.length).toList());
      return failure.get();
    }
    assertEquals(1, messages.size());
    return messages.get(0);
  }

  @Test
  void charactersStraddlingEachSlicesCutAreJudgedWhole() {
    byte[] text = text();
    for (List<byte[]> reads : readings(masked(text))) {
      Object outcome = assemble(reads);
      assertInstanceOf(byte[].class, outcome, () -> "in " + reads.size() + " reads: " + outcome);
      assertArrayEquals(text, (byte[]) outcome, "in " + reads.size() + " reads");
    }
  }

  @Test
  void aBadByteEitherSideOfACutIsNamedExactly() {
    for (int cut : new int[] {SLICE, 2 * SLICE}) {
      for (int at = cut - 5; at <= cut + 5; at++) {
        byte[] text = text();
        text[at] = (byte) 0xFF;
        for (List<byte[]> reads : readings(masked(text))) {
          Object outcome = assemble(reads);
          String where = "0xFF at " + at + ", " + reads.size() + " reads";
          WebSocketException e = assertInstanceOf(WebSocketException.class, outcome, where);
          assertEquals(1007, e.code(), where);
          assertEquals("invalid UTF-8 at byte " + at + " of a text message", e.getMessage(),
              where);
        }
      }
    }
  }

  @Test
  void aCharacterLeftOpenAtTheEndFailsTheMessage() {
    byte[] text = Arrays.copyOf(text(), 2 * SLICE + 1); // ends one byte into a character
    Object outcome = assemble(List.of(masked(text)));
    WebSocketException e = assertInstanceOf(WebSocketException.class, outcome);
    assertEquals(1007, e.code());
    assertEquals("text message ends inside a UTF-8 sequence", e.getMessage());
  }
}
