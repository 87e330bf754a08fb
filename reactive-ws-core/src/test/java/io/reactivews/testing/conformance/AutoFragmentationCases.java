package io.reactivews.testing.conformance;

import static io.reactivews.testing.conformance.ConformanceCase.of;
import static io.reactivews.testing.conformance.Outcome.echoes;
import static io.reactivews.testing.conformance.Payloads.stars;
import static io.reactivews.testing.conformance.Payloads.utf8;

import io.reactivews.testing.RawFrame;
import java.util.Arrays;
import java.util.stream.Stream;

/** Suite case 10.1.1 as data, for either end: a message in many fragments comes back whole. */
public final class AutoFragmentationCases {

  private AutoFragmentationCases() {}

  public static Stream<ConformanceCase> cases() {
    return Stream.of(of("10.1.1", "65536-byte text sent in fragments of 1300 bytes",
        Script.of().send(fragments(utf8(stars(65536)), 1300)),
        echoes(Event.text(stars(65536)))));
  }

  /** A text message cut into frames of {@code size} payload bytes (the last one shorter). */
  static RawFrame[] fragments(byte[] text, int size) {
    int count = (text.length + size - 1) / size;
    RawFrame[] frames = new RawFrame[count];
    for (int i = 0; i < count; i++) {
      byte[] part = Arrays.copyOfRange(text, i * size, Math.min(text.length, (i + 1) * size));
      frames[i] = (i == 0 ? RawFrame.text(part) : RawFrame.continuation(part))
          .fin(i == count - 1);
    }
    return frames;
  }
}
