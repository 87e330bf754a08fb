package io.reactivews.core.frame;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Payload bytes and frames done per benchmark call, which JMH turns into rates next to the
 * operation rate: {@code bytes} reads as bytes/s (divide by 1e9 for GB/s), {@code frames} as
 * frames/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {

  public long bytes;
  public long frames;

  @Setup(Level.Iteration)
  public void clear() {
    bytes = 0;
    frames = 0;
  }

  /** Counts {@code n} frames of {@code size} payload bytes each. */
  public void add(long n, long size) {
    frames += n;
    bytes += n * size;
  }
}
