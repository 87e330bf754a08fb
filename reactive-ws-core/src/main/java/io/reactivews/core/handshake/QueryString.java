package io.reactivews.core.handshake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a URI query into parameters the way HTML forms encode them: {@code +} is a space and
 * percent escapes are UTF-8 bytes; a malformed escape is kept as written. Stateless.
 */
public final class QueryString {

  private QueryString() {}

  /**
   * The parameters of {@code rawQuery} (without {@code ?}), in order of first appearance: {@code
   * a=1&b&a=x%20y} gives {a=[1, x y], b=[""]}. Empty for {@code null} or an empty query.
   */
  public static Map<String, List<String>> parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }
    params.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return Collections.unmodifiableMap(params);
  }

  /** One percent-decoded component. */
  public static String decode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (c == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(c == '+' ? ' ' : c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
