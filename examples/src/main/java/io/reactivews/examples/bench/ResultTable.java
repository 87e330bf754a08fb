package io.reactivews.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code RESULT} lines of several rounds into a Markdown table: for each test and
 * figure, each server's median with min-max, the ratio of our median to the best peer's (the
 * highest rate; the lowest time, CPU or memory), the same ratio round by round and the goal the
 * issues set for that row.
 *
 * <p>The round-by-round ratio pairs our n-th run of a row with the best peer's n-th run and
 * takes the median of those ratios. On a shared machine whose pace drifts over minutes, runs of
 * the same round sit closer in time than the medians of separate rounds, so this ratio moves
 * less when one round was slow for everyone. Runs made in pairs ({@code PAIR peer} lines before
 * each pair, from {@code compare.sh --pairs}) are paired by pair instead, against every peer,
 * and the least favourable of those medians is shown. A row with one stalled viewer
 * ({@code -stalledK}) has its goal against our own run without the stall: its goal cell says how
 * far ours moved.
 *
 * <p>Rates are the figures whose names end in {@code _s} (per second); every other figure is
 * better lower. Figures that only check the run ({@code mismatches}, {@code lost}, {@code
 * dropped}) get a row only when some run had one; the load generator's own CPU gets no ratio.
 */
final class ResultTable {

  /** Figures that only say the run was clean: shown only when one is not zero. */
  private static final Set<String> CHECKS = Set.of("mismatches", "lost", "dropped");

  /**
   * Figures shown without a ratio: what a run was (how many deliveries came compressed, how often
   * our compressor ran per message), not how well a server did.
   */
  private static final Set<String> UNRANKED = Set.of("compressed_share", "deflate_runs_msg");

  /** Figures left out: derived from another row, or only for people reading single runs. */
  private static final Set<String> HIDDEN = Set.of("MB_s", "cpu_pct", "samples", "rate",
      "max_us", "lag_max_us", "opens_s", "connections", "subscribers", "stalled", "rss_B_conn");

  private ResultTable() {}

  static String render(List<String> lines, List<String> servers, String ours) {
    // test -> figure -> label -> values, in the order first seen
    Map<String, Map<String, Map<String, List<Double>>>> tests = new LinkedHashMap<>();
    // the same for our runs in pairs, by the peer of the pair in place of the label
    Map<String, Map<String, Map<String, List<Double>>>> oursInPairs = new LinkedHashMap<>();
    String pair = null;
    for (String line : lines) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && parts[0].equals("PAIR")) {
        pair = parts[1];
        continue;
      }
      if (parts.length < 4 || !parts[0].equals("RESULT")) {
        continue;
      }
      add(tests, parts, parts[1]);
      if (pair != null && parts[1].equals(ours)) {
        add(oursInPairs, parts, pair);
      }
    }
    StringBuilder sb = new StringBuilder("| test | figure |");
    servers.forEach(s -> sb.append(' ').append(s).append(" median (min-max) |"));
    sb.append(' ').append(ours).append(" / best peer | per round | goal |\n|---|---|");
    servers.forEach(s -> sb.append("---:|"));
    sb.append("---:|---:|---|\n");
    tests.forEach((test, figures) -> figures.forEach((figure, byLabel) -> {
      if (HIDDEN.contains(figure) || CHECKS.contains(figure) && byLabel.values().stream()
          .flatMap(List::stream).allMatch(v -> v == 0)) {
        return;
      }
      sb.append("| ").append(test).append(" | ").append(figure).append(" |");
      servers.forEach(s -> sb.append(' ').append(cell(byLabel.getOrDefault(s, List.of())))
          .append(" |"));
      boolean ranked = !CHECKS.contains(figure) && !UNRANKED.contains(figure)
          && !figure.startsWith("load_");
      String best = ranked ? bestPeer(byLabel, servers, ours, figure.endsWith("_s")) : null;
      List<Double> mine = byLabel.getOrDefault(ours, List.of());
      List<Double> theirs = best == null ? List.of() : byLabel.get(best);
      String perRound = best == null ? ""
          : oursInPairs.containsKey(test) ? leastFavourablePair(oursInPairs.get(test)
              .getOrDefault(figure, Map.of()), byLabel, figure.endsWith("_s"))
          : pairedRatio(mine, theirs);
      sb.append(' ').append(best == null ? "" : times(median(mine) / median(theirs)) + " ("
          + best + ")").append(" | ").append(perRound)
          .append(" | ").append(goal(test, figure))
          .append(withoutTheStall(tests, test, figure, ours, mine)).append(" |\n");
    }));
    return sb.toString();
  }

  /**
   * The peer with the best median, or null if we or every peer lack the figure, or if that
   * median is zero or below (resident memory can shrink, so a native figure may be negative, and
   * a ratio to it would mean nothing).
   */
  private static String bestPeer(Map<String, List<Double>> byLabel, List<String> servers,
      String ours, boolean higherIsBetter) {
    String best = null;
    double bestMedian = 0;
    for (String peer : servers) {
      List<Double> values = byLabel.getOrDefault(peer, List.of());
      if (peer.equals(ours) || values.isEmpty()) {
        continue;
      }
      double m = median(values);
      if (best == null || (higherIsBetter ? m > bestMedian : m < bestMedian)) {
        best = peer;
        bestMedian = m;
      }
    }
    return byLabel.getOrDefault(ours, List.of()).isEmpty() || bestMedian <= 0 ? null : best;
  }

  /** Adds the figures of one {@code RESULT} line ({@code parts}) under {@code label}. */
  private static void add(Map<String, Map<String, Map<String, List<Double>>>> tests,
      String[] parts, String label) {
    Map<String, Map<String, List<Double>>> figures =
        tests.computeIfAbsent(parts[2], k -> new LinkedHashMap<>());
    for (int i = 3; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      figures.computeIfAbsent(parts[i].substring(0, eq), k -> new LinkedHashMap<>())
          .computeIfAbsent(label, k -> new ArrayList<>())
          .add(Double.parseDouble(parts[i].substring(eq + 1)));
    }
  }

  /**
   * For runs made in pairs ({@code compare.sh --pairs}: ours and one peer back to back), the
   * median of our run over the peer's in each pair, against the peer where that is least in our
   * favour, and its name: the best peer by the medians may not be the one a pair reading puts
   * closest, and the goal holds only if it holds against every peer.
   */
  static String leastFavourablePair(Map<String, List<Double>> oursByPeer,
      Map<String, List<Double>> byLabel, boolean higherIsBetter) {
    String worst = null;
    double worstRatio = Double.NaN;
    for (Map.Entry<String, List<Double>> e : oursByPeer.entrySet()) {
      double ratio = pairedMedian(e.getValue(), byLabel.getOrDefault(e.getKey(), List.of()));
      if (!Double.isNaN(ratio) && (worst == null
          || (higherIsBetter ? ratio < worstRatio : ratio > worstRatio))) {
        worst = e.getKey();
        worstRatio = ratio;
      }
    }
    return worst == null ? "" : times(worstRatio) + " (" + worst + ")";
  }

  /** The median of our n-th value over theirs, n over the rounds both have. */
  static String pairedRatio(List<Double> mine, List<Double> theirs) {
    double ratio = pairedMedian(mine, theirs);
    return Double.isNaN(ratio) ? "" : times(ratio);
  }

  /** {@link #pairedRatio}'s value, or NaN if no round has both. */
  private static double pairedMedian(List<Double> mine, List<Double> theirs) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
      if (theirs.get(i) > 0) {
        ratios.add(mine.get(i) / theirs.get(i));
      }
    }
    return ratios.isEmpty() ? Double.NaN : median(ratios);
  }

  private static String times(double ratio) {
    return String.format(Locale.ROOT, "%.2fx", ratio);
  }

  /**
   * For a row with stalled viewers ({@code mine}: our runs of it), how far our median moved from
   * our run without them, and the median of the same move round by round ({@code ": ours +3.1%,
   * round by round +2.0%"}); empty for any other row, or when the run without is missing.
   */
  private static String withoutTheStall(Map<String, Map<String, Map<String, List<Double>>>> tests,
      String test, String figure, String ours, List<Double> mine) {
    int at = test.indexOf("-stalled");
    if (at < 0 || mine.isEmpty() || goal(test, figure).isEmpty()) {
      return "";
    }
    List<Double> without = tests.getOrDefault(test.substring(0, at), Map.of())
        .getOrDefault(figure, Map.of()).getOrDefault(ours, List.of());
    if (without.isEmpty() || median(without) <= 0) {
      return "";
    }
    return String.format(Locale.ROOT, ": ours %+.1f%%, round by round %+.1f%%",
        100 * (median(mine) / median(without) - 1), 100 * (pairedMedian(mine, without) - 1));
  }

  /**
   * The goal of a row, from issues 13 (echo, idle) and 17 (broadcast), by the test names
   * compare.sh gives: {@code echo-*}, {@code idle-*}, {@code bcast-N-wW} (a window of W in
   * flight), {@code bcast-N-R/s} (a fixed rate) and {@code ...-stalledK}. A compressed
   * broadcast ({@code bcast-deflate-...}) has none: no issue sets one.
   */
  static String goal(String test, String figure) {
    if (test.startsWith("echo-")) {
      return switch (figure) {
        case "msgs_s" -> ">= 1.1x";
        case "cpu_us_msg" -> "<= 0.9x";
        default -> "";
      };
    }
    if (test.startsWith("idle-")) {
      return figure.equals("total_B_conn") ? "<= raw Netty" : "";
    }
    if (!test.startsWith("bcast-") || test.startsWith("bcast-deflate-")) {
      return "";
    }
    if (test.contains("-stalled")) {
      return figure.equals("cpu_us_delivery") || figure.startsWith("lag_p")
          ? "within 5% of the run without" : "";
    }
    if (test.endsWith("/s")) {
      return figure.equals("cpu_us_delivery") || figure.equals("lag_p50_us")
          || figure.equals("lag_p99_us") ? "<= 1x" : "";
    }
    return switch (figure) {
      case "deliveries_s" -> ">= 1.1x";
      case "cpu_us_delivery" -> "<= 0.9x";
      default -> "";
    };
  }

  private static String cell(List<Double> values) {
    if (values.isEmpty()) {
      return "";
    }
    if (values.size() == 1) {
      return Report.format(values.get(0));
    }
    return Report.format(median(values)) + " (" + Report.format(Collections.min(values)) + "-"
        + Report.format(Collections.max(values)) + ")";
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void print(List<String> files, List<String> servers, String ours) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String file : files) {
      lines.addAll(Files.readAllLines(Path.of(file)));
    }
    System.out.print(render(lines, servers, ours));
  }
}
