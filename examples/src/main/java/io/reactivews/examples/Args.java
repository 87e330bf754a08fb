package io.reactivews.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options in {@code --name value} form, plus positional arguments. Small on
 * purpose: the examples should read like their task, not like an argument parser.
 */
public final class Args {

  private final Map<String, List<String>> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  /** Parses {@code args}; flags given in {@code flags} take no value. */
  public static Args parse(String[] args, String... flags) {
    Args parsed = new Args();
    List<String> flagList = List.of(flags);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        int eq = name.indexOf('=');
        if (eq >= 0) {
          parsed.add(name.substring(0, eq), name.substring(eq + 1));
        } else if (flagList.contains(name) || name.equals("help")) {
          parsed.add(name, "true");
        } else if (i + 1 < args.length) {
          parsed.add(name, args[++i]);
        } else {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
      } else {
        parsed.positional.add(arg);
      }
    }
    return parsed;
  }

  private void add(String name, String value) {
    options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  public boolean has(String name) {
    return options.containsKey(name);
  }

  public String get(String name, String fallback) {
    List<String> values = options.get(name);
    return values == null ? fallback : values.get(values.size() - 1);
  }

  public List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  public int getInt(String name, int fallback) {
    String value = get(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes a number, not " + value);
    }
  }

  public List<String> positional() {
    return positional;
  }
}
