package io.reactivews.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.Chopping;
import io.reactivews.testing.Chopping.Chop;
import io.reactivews.testing.InboundSource;
import io.reactivews.testing.InboundSource.Memory;
import io.reactivews.testing.JoinedFrame;
import io.reactivews.testing.Outcome;
import java.util.List;

/** Runs a decoder over chopped input from an {@link InboundSource} and checks the outcome. */
final class Decoding {

  private Decoding() {}

  /** Decodes {@code reads}, checks the buffers were borrowed cleanly, and joins the pieces. */
  static Outcome<Frame> run(FrameDecoder decoder, List<byte[]> reads, Memory memory) {
    InboundSource source = InboundSource.of(memory, reads);
    Outcome<Frame> outcome = Outcome.of(source.flux().transform(decoder));
    source.assertClean();
    return outcome;
  }

  /** Asserts that every chop of {@code input}, direct and heap, decodes to {@code expected}. */
  static void assertDecodes(FrameDecoder decoder, byte[] input, List<JoinedFrame> expected) {
    assertDecodes(decoder, Chopping.of(input), expected);
  }

  /** Asserts that each of {@code chops}, direct and heap, decodes to {@code expected}. */
  static void assertDecodes(FrameDecoder decoder, List<Chop> chops, List<JoinedFrame> expected) {
    Chopping.forEach(chops, chop -> {
      for (Memory memory : Memory.values()) {
        Outcome<Frame> outcome = run(decoder, chop.reads(), memory);
        assertEquals(expected, JoinedFrame.join(outcome.assertCompleted()), memory.name());
      }
    });
  }

  /**
   * Asserts that every chop of {@code input}, direct and heap, yields {@code before} and then
   * fails with {@code code} and a message containing {@code fragment}, as soon as the read that
   * holds byte {@code decidedBy - 1} arrives: the reads after it are never taken, and the source
   * is cancelled.
   */
  static void assertFails(
      FrameDecoder decoder,
      byte[] input,
      int decidedBy,
      List<JoinedFrame> before,
      int code,
      String fragment) {
    Chopping.forEach(input, chop -> {
      for (Memory memory : Memory.values()) {
        InboundSource source = InboundSource.of(memory, chop.reads());
        Outcome<Frame> outcome = Outcome.of(source.flux().transform(decoder));
        source.assertClean();
        assertEquals(before, JoinedFrame.join(outcome.assertError(code, fragment)), memory.name());
        int deciding = readHolding(chop, decidedBy - 1);
        assertEquals(deciding + 1, source.emitted(), "reads taken before failing");
        assertTrue(source.isCancelled(), "source cancelled at the error");
      }
    });
  }

  /** Asserts that every chop of {@code input} fails at its end with 1006, after {@code before}. */
  static void assertEndsMidFrame(FrameDecoder decoder, byte[] input, List<JoinedFrame> before) {
    Chopping.forEach(input, chop -> {
      for (Memory memory : Memory.values()) {
        Outcome<Frame> outcome = run(decoder, chop.reads(), memory);
        assertEquals(before, JoinedFrame.join(
            outcome.assertError(1006, "connection ended in the middle of a frame")), memory.name());
      }
    });
  }

  /** The index of the read that holds input byte {@code offset}. */
  static int readHolding(Chop chop, int offset) {
    int read = 0;
    for (int cut : chop.cuts()) {
      if (offset >= cut) {
        read++;
      }
    }
    return read;
  }
}
