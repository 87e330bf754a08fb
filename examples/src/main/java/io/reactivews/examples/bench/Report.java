package io.reactivews.examples.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement as a line of text: {@code RESULT <label> <test> name=value ...}, printed for
 * people and parsed back by {@link ResultTable}. Values are plain numbers; the names carry the
 * units ({@code msgs_s}, {@code MB_s}, {@code cpu_us_msg}, {@code p99_us}...).
 */
final class Report {

  private final String label;
  private final String test;
  private final Map<String, Double> values = new LinkedHashMap<>();

  Report(String label, String test) {
    this.label = label;
    this.test = test;
  }

  Report put(String name, double value) {
    values.put(name, value);
    return this;
  }

  /** Percentiles of {@code nanos} in microseconds, as p50_us, p99_us, p999_us and max_us. */
  Report latencies(String prefix, long[] nanos, int count) {
    if (count == 0) {
      return this;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    put(prefix + "p50_us", percentile(sorted, 0.50) / 1e3);
    put(prefix + "p99_us", percentile(sorted, 0.99) / 1e3);
    put(prefix + "p999_us", percentile(sorted, 0.999) / 1e3);
    put(prefix + "max_us", sorted[count - 1] / 1e3);
    return this;
  }

  private static long percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** A figure put earlier, or NaN. */
  double get(String name) {
    return values.getOrDefault(name, Double.NaN);
  }

  void print() {
    StringBuilder sb = new StringBuilder("RESULT ").append(label).append(' ').append(test);
    values.forEach((name, value) -> sb.append(' ').append(name).append('=')
        .append(format(value)));
    System.out.println(sb);
  }

  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.3f", value);
  }
}
