package io.reactivews.core.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.Deflating;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 7692 section 7.2.1: what our compressor sends, read back by an independent inflater. */
class CompressorTest {

  private static final byte[] JSON = ("{\"type\":\"score\",\"players\":[{\"name\":\"alice\","
      + "\"kills\":12},{\"name\":\"bob\",\"kills\":9}],\"round\":7}").repeat(10)
      .getBytes(StandardCharsets.UTF_8);

  private static byte[] compress(Compressor c, byte[] message) {
    return c.compress(ByteBuffer.wrap(message), (bytes, n) -> Arrays.copyOf(bytes, n));
  }

  @Test
  void messagesWithoutContextInflateAloneAndAreTheSameBytesEveryTime() {
    Compressor c = new Compressor(ZlibPool.shape(6, false), true);
    byte[] first = compress(c, JSON);
    byte[] second = compress(c, JSON);
    assertArrayEquals(first, second, "no context: the same message, the same bytes");
    assertArrayEquals(JSON, Deflating.decompress(first));
    assertTrue(first.length < JSON.length / 3, "compressed to " + first.length);
  }

  @Test
  void theTailIsTakenOff() {
    byte[] out = compress(new Compressor(ZlibPool.shape(6, false), true), JSON);
    assertTrue(!(out[out.length - 2] == -1 && out[out.length - 1] == -1));
  }

  @Test
  void contextTakeoverMakesTheNextMessageSmallerAndNeedsTheContextToInflate() {
    Compressor c = new Compressor(ZlibPool.shape(6, false), false);
    byte[] first = compress(c, JSON);
    byte[] second = compress(c, JSON);
    assertTrue(second.length < first.length / 4, first.length + " then " + second.length);
    try (Deflating peer = new Deflating(true, false)) {
      assertArrayEquals(JSON, peer.inflate(first));
      assertArrayEquals(JSON, peer.inflate(second));
    }
    c.release();
    assertThrows(IllegalStateException.class, () -> compress(c, JSON));
  }

  @Test
  void huffmanOnlyUsesNoBackReferencesSoAnyWindowDecodesIt() {
    byte[] same = new byte[10000];
    Arrays.fill(same, (byte) 'a');
    byte[] lz = compress(new Compressor(ZlibPool.shape(6, false), true), same);
    byte[] huffman = compress(new Compressor(ZlibPool.shape(6, true), true), same);
    // One bit per byte at best without back-references; with them, a few dozen bytes.
    assertTrue(lz.length < 100, "lz77 " + lz.length);
    assertTrue(huffman.length >= same.length / 8, "huffman only " + huffman.length);
    assertArrayEquals(same, Deflating.decompress(huffman));
  }

  @Test
  void whatDoesNotShrinkIsNotSentCompressedAndContextStartsAfresh() {
    byte[] noise = new byte[4096];
    new java.util.SplittableRandom(1).nextBytes(noise);
    assertEquals(null, compress(new Compressor(ZlibPool.shape(6, false), true), noise));
    Compressor keeps = new Compressor(ZlibPool.shape(6, false), false);
    byte[] first = compress(keeps, JSON);
    assertEquals(null, compress(keeps, noise), "sent plain: the peer never sees it compressed");
    byte[] third = compress(keeps, JSON);
    try (Deflating peer = new Deflating(true, false)) {
      assertArrayEquals(JSON, peer.inflate(first));
      assertArrayEquals(JSON, peer.inflate(third), "no reference to the plain message");
    }
    keeps.release();
  }

  @Test
  void anEmptyMessageRoundTrips() {
    byte[] out = compress(new Compressor(ZlibPool.shape(1, false), true), new byte[0]);
    assertEquals(0, Deflating.decompress(out).length);
  }

  @Test
  void theSharedPoolKeepsAFewIdleStreamsAndEndsTheRest() {
    ZlibPool.DeflaterSlot[] slots = new ZlibPool.DeflaterSlot[ZlibPool.MAX_IDLE + 3];
    int shape = ZlibPool.shape(9, true);
    for (int i = 0; i < slots.length; i++) {
      slots[i] = ZlibPool.deflater(shape);
    }
    for (ZlibPool.DeflaterSlot s : slots) {
      ZlibPool.release(s);
    }
    assertTrue(ZlibPool.idle() >= ZlibPool.MAX_IDLE);
    // The last three were ended, not pooled: their native memory is gone already. (Java 17
    // says so with a NullPointerException, later releases with an IllegalStateException.)
    RuntimeException ended = assertThrows(RuntimeException.class,
        () -> slots[slots.length - 1].deflater.deflate(new byte[8]));
    assertEquals("Deflater has been closed", ended.getMessage());
  }
}
