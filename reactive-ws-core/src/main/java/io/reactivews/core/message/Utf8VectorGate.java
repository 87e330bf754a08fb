package io.reactivews.core.message;

import io.reactivews.core.vector.VectorGate;
import java.nio.charset.StandardCharsets;

/**
 * Whether {@link Utf8Validator} checks long runs of text with {@link Utf8Vectors}: a {@link
 * VectorGate} whose warm-up checks sample texts (valid, and broken in ten ways) with the vectors
 * and with the automaton alone, so the compiled code has seen every branch it takes in use.
 */
final class Utf8VectorGate {

  static final VectorGate GATE = new VectorGate("utf8", Utf8VectorGate::trial);

  private Utf8VectorGate() {}

  private static VectorGate.Trial trial() {
    byte[][] samples = samples();
    Utf8Validator vectors = new Utf8Validator(VectorGate.Use.ALWAYS);
    Utf8Validator automaton = new Utf8Validator(VectorGate.Use.NEVER);
    return new VectorGate.Trial() {
      @Override
      public long withVectors() {
        return verdicts(vectors, samples);
      }

      @Override
      public long plain() {
        return verdicts(automaton, samples);
      }
    };
  }

  /** Every sample's verdict (where it failed, or whether it ended complete) folded into one. */
  private static long verdicts(Utf8Validator validator, byte[][] samples) {
    long folded = 0;
    for (byte[] sample : samples) {
      validator.reset();
      int bad = validator.feed(sample, 0, sample.length);
      folded = folded * 31 + (bad >= 0 ? bad : validator.isComplete() ? -1 : -2);
    }
    return folded;
  }

  /**
   * Text of characters of every length, all ASCII, and the first broken at many places in every
   * way, so the compiled code has seen every branch it takes in use.
   */
  static byte[][] samples() {
    String[] characters = {"a", "\"", "{", "7", " ", "\u00e9", "\u0416", "\u20ac", "\u4e2d",
        "\ud7fb", "\ud83d\ude00", "\udbff\udfff"};
    StringBuilder text = new StringBuilder();
    for (int k = 0; text.length() < 1500; k++) {
      text.append(characters[(k * 7 + k / 5) % characters.length]);
    }
    byte[] mixed = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] ascii = "{\"viewer\":1234,\"x\":-0.25,\"name\":\"stats\"} ".repeat(40)
        .getBytes(StandardCharsets.UTF_8);
    byte[][] breaks = {{(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82, 'a'},
        {(byte) 0xF0, (byte) 0x9F, 'a'}, {(byte) 0xC3}};
    byte[][] samples = new byte[2 + breaks.length * 2][];
    samples[0] = mixed;
    samples[1] = ascii;
    for (int k = 0; k < breaks.length; k++) {
      samples[2 + 2 * k] = broken(mixed, 900 + 37 * k, breaks[k]);
      samples[3 + 2 * k] = broken(ascii, 500 + 53 * k, breaks[k]);
    }
    return samples;
  }

  private static byte[] broken(byte[] text, int at, byte[] bad) {
    byte[] copy = text.clone();
    System.arraycopy(bad, 0, copy, at, bad.length);
    return copy;
  }
}
