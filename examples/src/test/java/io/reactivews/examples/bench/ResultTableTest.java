package io.reactivews.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  private static final List<String> SERVERS = List.of("ours", "a", "b");

  @Test
  void showsMediansWithRangesAndOursOverTheBestPeer() {
    List<String> lines = List.of(
        "# a comment line is skipped",
        "RESULT ours echo-64B msgs_s=300 cpu_us_msg=1.5",
        "RESULT a echo-64B msgs_s=100 cpu_us_msg=3",
        "RESULT b echo-64B msgs_s=400 cpu_us_msg=4",
        "RESULT ours echo-64B msgs_s=200 cpu_us_msg=1",
        "RESULT a echo-64B msgs_s=150 cpu_us_msg=2",
        "RESULT b echo-64B msgs_s=250 cpu_us_msg=5",
        "RESULT ours echo-64B msgs_s=100 cpu_us_msg=2",
        "RESULT a echo-64B msgs_s=200 cpu_us_msg=4",
        "RESULT b echo-64B msgs_s=100 cpu_us_msg=6");
    // The best rate is the highest (b's 250), the best CPU the lowest (a's 3).
    assertEquals("""
        | test | figure | ours median (min-max) | a median (min-max) | b median (min-max) \
        | ours / best peer | per round | goal |
        |---|---|---:|---:|---:|---:|---:|---|
        | echo-64B | msgs_s | 200 (100-300) | 150 (100-200) | 250 (100-400) | 0.80x (b) \
        | 0.80x | >= 1.1x |
        | echo-64B | cpu_us_msg | 1.500 (1-2) | 3 (2-4) | 5 (4-6) | 0.50x (a) | 0.50x \
        | <= 0.9x |
        """, ResultTable.render(lines, SERVERS, "ours"));
  }

  @Test
  void anEvenCountTakesTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, ResultTable.median(List.of(4.0, 1.0, 3.0, 2.0)));
  }

  @Test
  void aFigureNoPeerHasGetsNoRatio() {
    List<String> rows = rows(List.of("RESULT ours idle-10 heap_B_conn=1000"), SERVERS);
    assertEquals("| idle-10 | heap_B_conn | 1000 |  |  |  |  |  |", rows.get(0));
  }

  @Test
  void aBestPeerAtOrBelowZeroGetsNoRatio() {
    List<String> rows = rows(List.of(
        "RESULT ours idle-10 native_B_conn=900",
        "RESULT a idle-10 native_B_conn=-12",
        "RESULT b idle-10 native_B_conn=400"), SERVERS);
    assertEquals("| idle-10 | native_B_conn | 900 | -12 | 400 |  |  |  |", rows.get(0));
  }

  @Test
  void checksGetARowOnlyWhenARunFailedOne() {
    List<String> rows = rows(List.of(
        "RESULT ours echo-64B msgs_s=10 mismatches=0 lost=0",
        "RESULT a echo-64B msgs_s=10 mismatches=0 lost=3"), SERVERS);
    assertEquals(2, rows.size(), String.join("\n", rows));
    assertEquals("| echo-64B | lost | 0 | 3 |  |  |  |  |", rows.get(1));
  }

  @Test
  void theLoadGeneratorsOwnCpuGetsNoRatio() {
    List<String> rows = rows(List.of(
        "RESULT ours echo-64B load_cpu_pct=50",
        "RESULT a echo-64B load_cpu_pct=90"), SERVERS);
    assertEquals("| echo-64B | load_cpu_pct | 50 | 90 |  |  |  |  |", rows.get(0));
  }

  @Test
  void goalsFollowTheTestAndFigure() {
    assertEquals(">= 1.1x", ResultTable.goal("echo-1MiB-text", "msgs_s"));
    assertEquals("<= 0.9x", ResultTable.goal("echo-16KiB", "cpu_us_msg"));
    assertEquals("<= raw Netty", ResultTable.goal("idle-10000", "total_B_conn"));
    assertEquals(">= 1.1x", ResultTable.goal("bcast-1000-w32", "deliveries_s"));
    assertEquals("<= 0.9x", ResultTable.goal("bcast-1000-w32", "cpu_us_delivery"));
    assertEquals("<= 1x", ResultTable.goal("bcast-10000-5/s", "lag_p99_us"));
    assertEquals("<= 1x", ResultTable.goal("bcast-1000-50/s", "cpu_us_delivery"));
    assertEquals("", ResultTable.goal("bcast-1000-50/s", "lag_p999_us"));
    assertEquals("within 5% of the run without",
        ResultTable.goal("bcast-1000-50/s-stalled1", "lag_p50_us"));
    assertEquals("", ResultTable.goal("latency-64B-5k/s", "p99_us"));
    assertEquals("", ResultTable.goal("bcast-deflate-1000-50/s", "cpu_us_delivery"));
  }

  @Test
  void whatARunWasGetsNoRatio() {
    List<String> rows = rows(List.of(
        "RESULT ours bcast-deflate-1000-50/s compressed_share=1 cpu_us_delivery=4",
        "RESULT a bcast-deflate-1000-50/s compressed_share=1 cpu_us_delivery=8"), SERVERS);
    assertEquals("| bcast-deflate-1000-50/s | compressed_share | 1 | 1 |  |  |  |  |", rows.get(0));
    assertEquals(
        "| bcast-deflate-1000-50/s | cpu_us_delivery | 4 | 8 |  | 0.50x (a) | 0.50x |  |",
        rows.get(1));
  }

  @Test
  void theRoundByRoundRatioPairsRunsOfTheSameRound() {
    // Round 2 was slow for both: the medians say 0.96x, two rounds of three say ours is 1.2x.
    List<String> rows = rows(List.of(
        "RESULT ours echo-64B msgs_s=120", "RESULT a echo-64B msgs_s=100",
        "RESULT ours echo-64B msgs_s=60", "RESULT a echo-64B msgs_s=50",
        "RESULT ours echo-64B msgs_s=96", "RESULT a echo-64B msgs_s=120"),
        List.of("ours", "a"));
    assertEquals(
        "| echo-64B | msgs_s | 96 (60-120) | 100 (50-120) | 0.96x (a) | 1.20x | >= 1.1x |",
        rows.get(0));
  }

  @Test
  void theRoundByRoundRatioUsesTheRoundsBothHave() {
    assertEquals("2.00x", ResultTable.pairedRatio(List.of(2.0, 4.0, 9.0), List.of(1.0, 2.0)));
    assertEquals("", ResultTable.pairedRatio(List.of(2.0), List.of()));
  }

  @Test
  void runsInPairsArePairedByPairAgainstThePeerLeastInOurFavour() {
    // Ours runs once per pair. By the medians a is the best peer (0.90x); within each pair ours
    // is 0.80x of a's CPU and 1.10x of b's, whose runs fell in fast moments.
    List<String> rows = rows(List.of(
        "PAIR a", "RESULT ours bcast-1000-50/s cpu_us_delivery=8",
        "RESULT a bcast-1000-50/s cpu_us_delivery=10",
        "PAIR b", "RESULT b bcast-1000-50/s cpu_us_delivery=10",
        "RESULT ours bcast-1000-50/s cpu_us_delivery=11",
        "PAIR a", "RESULT a bcast-1000-50/s cpu_us_delivery=20",
        "RESULT ours bcast-1000-50/s cpu_us_delivery=16",
        "PAIR b", "RESULT ours bcast-1000-50/s cpu_us_delivery=22",
        "RESULT b bcast-1000-50/s cpu_us_delivery=20"), SERVERS);
    assertEquals("| bcast-1000-50/s | cpu_us_delivery | 13.500 (8-22) | 15 (10-20) "
        + "| 15 (10-20) | 0.90x (a) | 1.10x (b) | <= 1x |", rows.get(0));
  }

  @Test
  void aRateInPairsIsLeastInOurFavourWhereItIsLowest() {
    assertEquals("0.50x (b)", ResultTable.leastFavourablePair(
        Map.of("a", List.of(200.0), "b", List.of(100.0)),
        Map.of("a", List.of(100.0), "b", List.of(200.0)), true));
    assertEquals("", ResultTable.leastFavourablePair(
        Map.of("a", List.of(200.0)), Map.of(), true));
  }

  @Test
  void aStalledRowSaysHowFarOursMovedFromTheRunWithout() {
    List<String> rows = rows(List.of(
        "RESULT ours bcast-1000-50/s cpu_us_delivery=10 deliveries_s=50000",
        "RESULT ours bcast-1000-50/s-stalled1 cpu_us_delivery=10.4 deliveries_s=50000",
        "RESULT a bcast-1000-50/s-stalled1 cpu_us_delivery=13 deliveries_s=50000"),
        List.of("ours", "a"));
    assertEquals("| bcast-1000-50/s-stalled1 | cpu_us_delivery | 10.400 | 13 | 0.80x (a) | 0.80x "
        + "| within 5% of the run without: ours +4.0%, round by round +4.0% |", rows.get(2));
    assertEquals(
        "| bcast-1000-50/s-stalled1 | deliveries_s | 50000 | 50000 | 1.00x (a) | 1.00x |  |",
        rows.get(3));
  }

  @Test
  void theStalledRowsMoveIsAlsoReadRoundByRound() {
    // Round 2 was slow for both runs: the medians say +20%, each round says +10%.
    List<String> rows = rows(List.of(
        "RESULT ours bcast-1000-50/s cpu_us_delivery=10",
        "RESULT ours bcast-1000-50/s-stalled1 cpu_us_delivery=11",
        "RESULT ours bcast-1000-50/s cpu_us_delivery=20",
        "RESULT ours bcast-1000-50/s-stalled1 cpu_us_delivery=22",
        "RESULT ours bcast-1000-50/s cpu_us_delivery=9",
        "RESULT ours bcast-1000-50/s-stalled1 cpu_us_delivery=12"),
        List.of("ours"));
    assertEquals("| bcast-1000-50/s-stalled1 | cpu_us_delivery | 12 (11-22) |  |  "
        + "| within 5% of the run without: ours +20.0%, round by round +10.0% |",
        rows.get(1));
  }

  /** The table's data rows, below its header and separator. */
  private static List<String> rows(List<String> lines, List<String> servers) {
    return ResultTable.render(lines, servers, "ours").lines().skip(2).toList();
  }
}
