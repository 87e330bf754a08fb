package io.reactivews.core.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Session ids that no other process hands out: a part drawn at random once per process, then a
 * counter, as in {@code "tX3k_Q9zAw.1f"}.
 *
 * <p>Why not a counter alone: ids name sessions across a cluster (a send to an id, a room's
 * members), and every process's counter starts at 1, so two nodes would both have a session "1".
 * Sixty random bits make two processes' prefixes meet about once in a billion among 50,000
 * processes. Only URL-safe characters, so an id goes into a path, a query or a Redis key as it is.
 */
final class SessionIds {

  private static final String PREFIX = randomPrefix();
  private static final AtomicLong COUNTER = new AtomicLong();

  private SessionIds() {}

  static String next() {
    return PREFIX + Long.toString(COUNTER.incrementAndGet(), Character.MAX_RADIX);
  }

  private static String randomPrefix() {
    byte[] bits = new byte[8];
    new SecureRandom().nextBytes(bits);
    // 60 of the 64 bits: ten characters of six bits each; the dot ends the prefix.
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits).substring(0, 10) + ".";
  }
}
