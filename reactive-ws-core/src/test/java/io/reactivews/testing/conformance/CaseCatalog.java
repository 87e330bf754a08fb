package io.reactivews.testing.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Every shared case, and cases picked by id, for tests that hold a few cases to stricter rules. */
public final class CaseCatalog {

  private CaseCatalog() {}

  /** The cases of every table, in the suite's order. */
  public static Stream<ConformanceCase> all() {
    return Stream.of(
            FramingCases.framing(), FramingCases.pingsAndPongs(), FramingCases.reservedBits(),
            FramingCases.reservedOpcodes(), FragmentationCases.cases(),
            Utf8Cases.framingOfText(), Utf8Cases.failFast(), Utf8Cases.sequences(),
            CloseCases.afterClose(), CloseCases.closeBodies(), CloseCases.closeCodes(),
            AutoFragmentationCases.cases())
        .flatMap(s -> s);
  }

  /**
   * The cases with these ids, in the order given.
   *
   * @throws IllegalArgumentException if an id names no case
   */
  public static Stream<ConformanceCase> withIds(String... ids) {
    List<ConformanceCase> all = all().toList();
    return Arrays.stream(ids).map(id -> all.stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no case " + id)));
  }
}
