package io.reactivews.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The ways a byte stream can arrive in reads, for tests that must hold wherever the network cuts
 * the bytes: the whole input in one read, every 2-way split at each byte boundary, one byte per
 * read, and (for inputs of up to {@value #THREE_WAY_LIMIT} bytes) every 3-way split.
 *
 * <pre>{@code
 * Chopping.forEach(RawFrame.text("Hi").masked().bytes(), chop -> {
 *   Outcome<Frame> outcome = decode(chop.reads());
 *   assertEquals(List.of(...), outcome.values());
 * });
 * }</pre>
 *
 * <p>A failure names the chop that broke ("cut at 3, 7 of 12 bytes") so the case can be rerun
 * by hand. Stateless.
 */
public final class Chopping {

  /** Inputs up to this long are also cut in every pair of places. */
  public static final int THREE_WAY_LIMIT = 40;

  private Chopping() {}

  /**
   * One way of cutting an input into reads.
   *
   * @param input the whole input
   * @param cuts the ascending offsets where one read ends and the next begins
   */
  public record Chop(byte[] input, int[] cuts) {

    /** The reads, in order; none is empty. */
    public List<byte[]> reads() {
      List<byte[]> reads = new ArrayList<>(cuts.length + 1);
      int from = 0;
      for (int cut : cuts) {
        reads.add(Arrays.copyOfRange(input, from, cut));
        from = cut;
      }
      reads.add(Arrays.copyOfRange(input, from, input.length));
      return reads;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chop other
          && Arrays.equals(other.input, input)
          && Arrays.equals(other.cuts, cuts);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(input) * 31 + Arrays.hashCode(cuts);
    }

    @Override
    public String toString() {
      if (cuts.length == 0) {
        return "in one read of " + input.length + " bytes";
      }
      if (cuts.length == input.length - 1 && cuts.length > 2) {
        return "one byte per read, " + input.length + " bytes";
      }
      StringBuilder sb = new StringBuilder("cut at ");
      for (int i = 0; i < cuts.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(cuts[i]);
      }
      return sb.append(" of ").append(input.length).append(" bytes").toString();
    }
  }

  /** Every chop of {@code input}, without duplicates; the whole input comes first. */
  public static List<Chop> of(byte[] input) {
    int[] everywhere = new int[Math.max(0, input.length - 1)];
    for (int i = 0; i < everywhere.length; i++) {
      everywhere[i] = i + 1;
    }
    return at(input, everywhere, input.length <= THREE_WAY_LIMIT);
  }

  /**
   * The whole input, a 2-way split at each of {@code positions}, a split at all of them together,
   * and, when {@code threeWay}, every 3-way split among them. For inputs too long to cut
   * everywhere: pick the offsets where bytes are parsed (the header) and a few in the payload.
   */
  public static List<Chop> at(byte[] input, int[] positions, boolean threeWay) {
    int[] sorted = Arrays.stream(positions).filter(p -> p > 0 && p < input.length)
        .distinct().sorted().toArray();
    Set<Chop> chops = new LinkedHashSet<>();
    chops.add(new Chop(input, new int[0]));
    for (int p : sorted) {
      chops.add(new Chop(input, new int[] {p}));
    }
    chops.add(new Chop(input, sorted));
    if (threeWay) {
      for (int i = 0; i < sorted.length; i++) {
        for (int j = i + 1; j < sorted.length; j++) {
          chops.add(new Chop(input, new int[] {sorted[i], sorted[j]}));
        }
      }
    }
    return List.copyOf(chops);
  }

  /** Every 2-way split of {@code input} at the offsets of the first {@code n} bytes, and more. */
  public static List<Chop> inFirst(byte[] input, int n, int... alsoAt) {
    int[] positions = new int[n + alsoAt.length];
    for (int i = 0; i < n; i++) {
      positions[i] = i + 1;
    }
    System.arraycopy(alsoAt, 0, positions, n, alsoAt.length);
    return at(input, positions, false);
  }

  /**
   * Runs {@code assertion} for every chop of {@code input}, as {@link #of(byte[])} lists them.
   *
   * @throws AssertionError naming the chop, for the first one that fails
   */
  public static void forEach(byte[] input, Consumer<Chop> assertion) {
    forEach(of(input), assertion);
  }

  /**
   * Runs {@code assertion} for every chop in {@code chops}.
   *
   * @throws AssertionError naming the chop, for the first one that fails
   */
  public static void forEach(List<Chop> chops, Consumer<Chop> assertion) {
    for (Chop chop : chops) {
      try {
        assertion.accept(chop);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "input " + Bytes.toHex(chop.input()) + " " + chop + ": " + e.getMessage(), e);
      }
    }
  }

  /** One dynamic test per chop of {@code input}, named after the chop. */
  public static Stream<DynamicTest> dynamicTests(byte[] input, Consumer<Chop> assertion) {
    return of(input).stream()
        .map(chop -> DynamicTest.dynamicTest(chop.toString(), () -> assertion.accept(chop)));
  }
}
