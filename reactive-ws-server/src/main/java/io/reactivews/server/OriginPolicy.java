package io.reactivews.server;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a session (RFC 6455 section 10.2). A refused origin gets 403.
 *
 * <p>Browsers always send {@code Origin}; other clients usually do not. An allow-list therefore
 * refuses requests without one unless {@link #orNoOrigin()} says non-browser clients are
 * welcome. Immutable.
 *
 * <pre>{@code
 * OriginPolicy.allow("https://game.example.org", "http://localhost:8080").orNoOrigin()
 * }</pre>
 */
public final class OriginPolicy {

  private static final OriginPolicy ANY = new OriginPolicy(origin -> true, true, "any origin");

  private final Predicate<String> allowed;
  private final boolean allowMissing;
  private final String description;

  private OriginPolicy(Predicate<String> allowed, boolean allowMissing, String description) {
    this.allowed = allowed;
    this.allowMissing = allowMissing;
    this.description = description;
  }

  /** Every origin, and requests without one. The default. */
  public static OriginPolicy any() {
    return ANY;
  }

  /** Exactly these origins (scheme, host and port, compared without regard to case). */
  public static OriginPolicy allow(String... origins) {
    Set<String> set = List.of(origins).stream()
        .map(o -> o.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    return new OriginPolicy(o -> set.contains(o.toLowerCase(Locale.ROOT)), false,
        "origins " + set);
  }

  /** Origins the predicate accepts. */
  public static OriginPolicy matching(Predicate<String> predicate) {
    return new OriginPolicy(Objects.requireNonNull(predicate, "predicate"), false,
        "origins matching a predicate");
  }

  /** Also accept requests that carry no {@code Origin} (non-browser clients). */
  public OriginPolicy orNoOrigin() {
    return new OriginPolicy(allowed, true, description + " or none");
  }

  /** Whether a request with this {@code Origin} (null when absent) may connect. */
  public boolean permits(String origin) {
    return origin == null ? allowMissing : allowed.test(origin);
  }

  @Override
  public String toString() {
    return description;
  }
}
