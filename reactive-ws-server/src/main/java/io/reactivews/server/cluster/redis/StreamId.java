package io.reactivews.server.cluster.redis;

/** A Redis stream entry id, {@code <ms>-<seq>}, compared as Redis orders them. */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

  static final StreamId ZERO = new StreamId(0, 0);

  /** The id in {@code text}; null if it is not one (a client sent garbage). */
  static StreamId parse(String text) {
    if (text == null) {
      return null;
    }
    int dash = text.indexOf('-');
    try {
      return dash < 0
          ? new StreamId(Long.parseLong(text), 0)
          : new StreamId(Long.parseLong(text.substring(0, dash)),
              Long.parseLong(text.substring(dash + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public int compareTo(StreamId o) {
    int c = Long.compareUnsigned(millis, o.millis);
    return c != 0 ? c : Long.compareUnsigned(sequence, o.sequence);
  }

  @Override
  public String toString() {
    return millis + "-" + sequence;
  }
}
