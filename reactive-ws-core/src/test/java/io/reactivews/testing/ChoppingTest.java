package io.reactivews.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.testing.Chopping.Chop;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chopper yields every split it promises, each one a faithful cut of the input. */
class ChoppingTest {

  @Test
  void shortInputsAreCutEverywhereTwoAndThreeWays() {
    byte[] input = Bytes.pattern(5);
    List<Chop> chops = Chopping.of(input);
    // Whole, 4 two-way, one byte per read, 6 three-way.
    assertEquals(1 + 4 + 1 + 6, chops.size());
    Set<String> cuts = new HashSet<>();
    for (Chop chop : chops) {
      cuts.add(java.util.Arrays.toString(chop.cuts()));
    }
    assertTrue(cuts.containsAll(List.of("[]", "[1]", "[4]", "[1, 2, 3, 4]", "[1, 2]", "[3, 4]")));
  }

  @Test
  void longInputsAreCutTwoWaysOnly() {
    assertEquals(1 + 40 + 1, Chopping.of(Bytes.pattern(41)).size());
    assertEquals(1 + 39 + 1 + 39 * 38 / 2, Chopping.of(Bytes.pattern(40)).size());
  }

  @Test
  void readsPutTogetherAreTheInputAndNoneIsEmpty() {
    byte[] input = Bytes.pattern(12);
    for (Chop chop : Chopping.of(input)) {
      List<byte[]> reads = chop.reads();
      assertEquals(chop.cuts().length + 1, reads.size());
      reads.forEach(read -> assertTrue(read.length > 0, chop.toString()));
      assertArrayEquals(input, Bytes.concat(reads.toArray(byte[][]::new)), chop.toString());
    }
  }

  @Test
  void tinyInputs() {
    assertEquals(1, Chopping.of(new byte[0]).size());
    assertEquals(1, Chopping.of(new byte[1]).size());
    assertEquals(2, Chopping.of(new byte[2]).size());
  }

  @Test
  void chosenPositionsOnly() {
    byte[] input = Bytes.pattern(100);
    List<Chop> chops = Chopping.inFirst(input, 3, 50, 200, 0);
    // Whole, cuts at 1, 2, 3, 50, and all four together; 200 and 0 are not inside the input.
    assertEquals(6, chops.size());
  }

  @Test
  void aFailureNamesTheChop() {
    AssertionError e = assertThrows(AssertionError.class, () ->
        Chopping.forEach(Bytes.hex("0a 0b 0c"), chop -> assertFalse(chop.cuts().length == 1
            && chop.cuts()[0] == 2, "boom")));
    assertEquals("input 0a 0b 0c cut at 2 of 3 bytes: boom ==> expected: <false> but was: <true>",
        e.getMessage());
  }

  @Test
  void dynamicTestsOnePerChop() {
    assertEquals(Chopping.of(Bytes.pattern(6)).size(),
        Chopping.dynamicTests(Bytes.pattern(6), chop -> { }).count());
  }
}
