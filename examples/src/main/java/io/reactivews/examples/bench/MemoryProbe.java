package io.reactivews.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a bench server's {@code /stats} route reports of its own memory, read the same way in our
 * server and in the peers (compare.sh puts this class on their class path).
 */
public final class MemoryProbe {

  /**
   * What a load asks a stats route for around its measured window: the counters, and the heap
   * as it is, without a collection, which would stall the server inside the window.
   */
  public static final String COUNTERS = "counters";

  private MemoryProbe() {}

  /**
   * The heap a stats route reports when asked {@code question}: {@link #liveHeap()}, or, asked
   * for the {@link #COUNTERS}, the heap in use now, at once.
   */
  public static long heapFor(String question) throws InterruptedException {
    if (COUNTERS.equals(question)) {
      Runtime runtime = Runtime.getRuntime();
      return runtime.totalMemory() - runtime.freeMemory();
    }
    return liveHeap();
  }

  /**
   * Heap in use after the last of three full collections, as the collector recorded it when it
   * finished (each heap pool's usage after its last collection). Read at the moment after, the
   * heap would also count what threads allocated since, a whole TLAB for each thread that
   * allocated at all: megabytes, more while the server is busy (sending pings, say).
   */
  public static long liveHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (after != null) {
        live += after.getUsed();
      }
    }
    return live;
  }

  /** Resident memory of this process (VmRSS), native memory included; -1 off Linux. */
  public static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return -1;
  }
}
