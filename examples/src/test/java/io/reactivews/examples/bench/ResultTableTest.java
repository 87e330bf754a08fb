package io.reactivews.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void showsMediansWithRangesAndTheRatioOfMedians() {
    List<String> lines = List.of(
        "# a comment line is skipped",
        "RESULT ours echo-64B msgs_s=300 cpu_us_msg=1.5",
        "RESULT theirs echo-64B msgs_s=100 cpu_us_msg=3",
        "RESULT ours echo-64B msgs_s=200 cpu_us_msg=1",
        "RESULT theirs echo-64B msgs_s=150 cpu_us_msg=2",
        "RESULT ours echo-64B msgs_s=100 cpu_us_msg=2",
        "RESULT theirs echo-64B msgs_s=200 cpu_us_msg=4");
    assertEquals("""
        | test | figure | ours median (min-max) | theirs median (min-max) | ours/theirs |
        |---|---|---:|---:|---:|
        | echo-64B | msgs_s | 200 (100-300) | 150 (100-200) | 1.33x |
        | echo-64B | cpu_us_msg | 1.500 (1-2) | 3 (2-4) | 0.50x |
        """, ResultTable.render(lines, "ours", "theirs"));
  }

  @Test
  void anEvenCountTakesTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, ResultTable.median(List.of(4.0, 1.0, 3.0, 2.0)));
  }

  @Test
  void aFigureOnlyOneServerHasGetsNoRatio() {
    String table = ResultTable.render(List.of("RESULT ours idle-10 heap_B_conn=1000"),
        "ours", "theirs");
    assertEquals("| idle-10 | heap_B_conn | 1000 |  |  |", table.lines().skip(2).findFirst()
        .orElseThrow());
  }
}
