package io.reactivews.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code RESULT} lines of several rounds into a Markdown table: for each test and
 * figure, the median with min-max of each server, and the ratio of the medians ours/theirs
 * (above 1 is better for rates, below 1 is better for times, bytes and CPU).
 */
final class ResultTable {

  private ResultTable() {}

  static String render(List<String> lines, String ours, String theirs) {
    // test -> metric -> label -> values, in the order first seen
    Map<String, Map<String, Map<String, List<Double>>>> tests = new LinkedHashMap<>();
    for (String line : lines) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 4 || !parts[0].equals("RESULT")) {
        continue;
      }
      String label = parts[1];
      Map<String, Map<String, List<Double>>> metrics =
          tests.computeIfAbsent(parts[2], k -> new LinkedHashMap<>());
      for (int i = 3; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        metrics.computeIfAbsent(parts[i].substring(0, eq), k -> new LinkedHashMap<>())
            .computeIfAbsent(label, k -> new ArrayList<>())
            .add(Double.parseDouble(parts[i].substring(eq + 1)));
      }
    }
    StringBuilder sb = new StringBuilder()
        .append("| test | figure | ").append(ours).append(" median (min-max) | ")
        .append(theirs).append(" median (min-max) | ").append(ours).append('/').append(theirs)
        .append(" |\n|---|---|---:|---:|---:|\n");
    tests.forEach((test, metrics) -> metrics.forEach((metric, byLabel) -> {
      List<Double> a = byLabel.getOrDefault(ours, List.of());
      List<Double> b = byLabel.getOrDefault(theirs, List.of());
      sb.append("| ").append(test).append(" | ").append(metric).append(" | ")
          .append(cell(a)).append(" | ").append(cell(b)).append(" | ");
      if (!a.isEmpty() && !b.isEmpty() && median(b) != 0) {
        sb.append(String.format(java.util.Locale.ROOT, "%.2fx", median(a) / median(b)));
      }
      sb.append(" |\n");
    }));
    return sb.toString();
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

  static void print(List<String> files, String ours, String theirs) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String file : files) {
      lines.addAll(Files.readAllLines(Path.of(file)));
    }
    System.out.print(render(lines, ours, theirs));
  }
}
