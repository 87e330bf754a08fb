package io.reactivews.core.vector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Decides whether one use of the JDK's incubating Vector API runs: checking UTF-8, say, or
 * masking payloads.
 *
 * <p>Only when the JVM runs with {@code --add-modules jdk.incubator.vector}, and the system
 * property {@value #PROPERTY} is not {@code false}. Even then not at once: until the JIT has
 * compiled it, Vector API code runs hundreds of times slower than plain Java. So the first
 * {@link #isOpenElseWarmUp()} starts a warm-up on a daemon thread of low priority, and the
 * caller goes on the plain way. The warm-up runs the use's {@link Trial} both ways and opens
 * the gate once the vectors give the plain answer every time and are faster by the thread's CPU
 * time (the wall clock where the JVM does not measure it) for {@value #FASTER_ROUNDS} rounds in
 * a row. It gives up quietly after {@value #LIMIT_SECONDS} seconds, or {@value
 * #CPU_LIMIT_SECONDS} seconds of its own CPU (vectors that lose keep losing: no use burning a
 * core on it), or at once if the trial cannot even start (an incubating method this JDK no
 * longer has): then the plain way stays, as without the module.
 *
 * <pre>{@code
 * static final VectorGate GATE = new VectorGate("masking", MaskingTrial::new);
 * ...
 * if (length >= 256 && GATE.isOpenElseWarmUp()) { vectors } else { plain }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class VectorGate {

  /** Set to {@code false} to use no vectors even with the module present. */
  public static final String PROPERTY = "io.reactivews.vectors";

  private static final String MODULE = "jdk.incubator.vector";
  private static final int FASTER_ROUNDS = 20;
  private static final int LIMIT_SECONDS = 20;
  private static final int CPU_LIMIT_SECONDS = 4;

  private static final boolean WANTED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY))
      && ModuleLayer.boot().findModule(MODULE).isPresent();

  /** Which way a caller goes: as the gate says, or one way always (tests, and the warm-up). */
  public enum Use {
    /** Vectors once the warm-up has shown them faster here. */
    WHEN_FASTER,
    /** Vectors always. */
    ALWAYS,
    /** Never vectors. */
    NEVER
  }

  /** The same work done both ways, for the warm-up to compare; closed when the warm-up ends. */
  public interface Trial extends AutoCloseable {
    /** One round with vectors: a fold of every answer. */
    long withVectors();

    /** The same round the plain way: the fold the vectors must give. */
    long plain();

    /** Frees what the rounds used (buffers outside the heap, say). */
    @Override
    default void close() {}
  }

  private final String name;
  private final Supplier<? extends Trial> trial;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean open;
  private volatile boolean decided = !WANTED;

  /**
   * A closed gate for the use {@code name} (it names the warm-up's thread). {@code trial} is
   * called on the warm-up's thread only, so the vector classes it loads are loaded only there.
   */
  public VectorGate(String name, Supplier<? extends Trial> trial) {
    this.name = Objects.requireNonNull(name, "name");
    this.trial = Objects.requireNonNull(trial, "trial");
  }

  /** Whether the warm-up has opened the gate; starts nothing. */
  public boolean isOpen() {
    return open;
  }

  /** Whether vectors may be used now; the first call starts the warm-up that decides it. */
  public boolean isOpenElseWarmUp() {
    if (open) {
      return true;
    }
    if (WANTED && !started.get() && started.compareAndSet(false, true)) {
      Thread warmUp = new Thread(this::warmUp, "reactive-ws-" + name + "-vectors-warm-up");
      warmUp.setDaemon(true);
      warmUp.setPriority(Thread.MIN_PRIORITY);
      warmUp.start();
    }
    return false;
  }

  /** Whether a caller that goes {@code use} goes through vectors now. */
  public boolean allows(Use use) {
    return use == Use.ALWAYS || use == Use.WHEN_FASTER && isOpenElseWarmUp();
  }

  /** Starts the warm-up if it has not started, and waits at most {@code timeout} for its end. */
  public boolean awaitDecision(long timeout, TimeUnit unit) throws InterruptedException {
    isOpenElseWarmUp();
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (this) {
      for (long left; !decided && (left = deadline - System.nanoTime()) > 0; ) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    return decided;
  }

  private void warmUp() {
    boolean faster = false;
    try {
      try (Trial rounds = trial.get()) {
        faster = vectorsWin(rounds, TimeUnit.SECONDS.toNanos(LIMIT_SECONDS));
      }
    } catch (Throwable notThere) {
      // A JDK whose incubating API has moved on: the plain way stays.
    } finally {
      synchronized (this) {
        open = faster;
        decided = true;
        notifyAll();
      }
    }
  }

  private static boolean vectorsWin(Trial trial, long limitNanos) {
    LongSupplier clock = cpuClock();
    long deadline = System.nanoTime() + limitNanos;
    long budget = clock.getAsLong() + TimeUnit.SECONDS.toNanos(CPU_LIMIT_SECONDS);
    int fasterRounds = 0;
    while (System.nanoTime() < deadline && clock.getAsLong() < budget) {
      long start = clock.getAsLong();
      long answers = trial.withVectors();
      long middle = clock.getAsLong();
      long expected = trial.plain();
      long end = clock.getAsLong();
      if (answers != expected) {
        return false;
      }
      fasterRounds = middle - start < end - middle ? fasterRounds + 1 : 0;
      if (fasterRounds == FASTER_ROUNDS) {
        return true;
      }
    }
    return false;
  }

  /**
   * The thread's CPU time, so that a busy machine taking the core away does not count; the wall
   * clock where the JVM does not measure it, or has no {@code java.management} (an image made
   * without it).
   */
  private static LongSupplier cpuClock() {
    try {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      if (threads.isCurrentThreadCpuTimeSupported()) {
        return threads::getCurrentThreadCpuTime;
      }
    } catch (LinkageError noManagement) {
      // the wall clock, then
    }
    return System::nanoTime;
  }
}
