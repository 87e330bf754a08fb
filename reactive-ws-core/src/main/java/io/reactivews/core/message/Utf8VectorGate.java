package io.reactivews.core.message;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Decides whether {@link Utf8Validator} checks long runs of text with {@link Utf8Vectors}.
 *
 * <p>Only when the JVM runs with {@code --add-modules jdk.incubator.vector}, and the system
 * property {@value #PROPERTY} is not {@code false}. Even then not at once: until the JIT has
 * compiled it, Vector API code runs hundreds of times slower than the plain automaton (the
 * first 16 KiB messages would each take milliseconds). So the first validator that meets a long
 * text starts a warm-up on a daemon thread of low priority and goes on byte by byte. The warm-up
 * checks sample texts (valid, and broken in ten ways) both ways, and opens the gate once the
 * vectors give the automaton's answer on every sample and are faster by the thread's CPU time
 * (the wall clock where the JVM does not measure it) for {@value #FASTER_ROUNDS} rounds in a
 * row. It gives up quietly after {@value #LIMIT_SECONDS}
 * seconds: where vectors never beat the automaton (narrow vectors, no optimising compiler), text
 * is checked byte by byte, as without the module.
 */
final class Utf8VectorGate {

  /** Set to {@code false} to check text byte by byte even with the module present. */
  static final String PROPERTY = "io.reactivews.vectors";

  private static final String MODULE = "jdk.incubator.vector";
  private static final int FASTER_ROUNDS = 20;
  private static final int LIMIT_SECONDS = 20;

  private static final boolean WANTED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY))
      && ModuleLayer.boot().findModule(MODULE).isPresent();
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final Object DECIDED = new Object();

  private static volatile boolean open;
  private static volatile boolean decided = !WANTED;

  private Utf8VectorGate() {}

  /** Whether the warm-up has opened the gate; starts nothing. */
  static boolean isOpen() {
    return open;
  }

  /** Whether vectors may be used now; the first call starts the warm-up that decides it. */
  static boolean isOpenElseWarmUp() {
    if (open) {
      return true;
    }
    if (WANTED && !STARTED.get() && STARTED.compareAndSet(false, true)) {
      Thread warmUp = new Thread(Utf8VectorGate::warmUp, "reactive-ws-utf8-vectors-warm-up");
      warmUp.setDaemon(true);
      warmUp.setPriority(Thread.MIN_PRIORITY);
      warmUp.start();
    }
    return false;
  }

  /** Starts the warm-up if it has not started, and waits at most {@code timeout} for its end. */
  static boolean awaitDecision(long timeout, TimeUnit unit) throws InterruptedException {
    isOpenElseWarmUp();
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (DECIDED) {
      for (long left; !decided && (left = deadline - System.nanoTime()) > 0; ) {
        TimeUnit.NANOSECONDS.timedWait(DECIDED, left);
      }
    }
    return decided;
  }

  private static void warmUp() {
    boolean faster = false;
    try {
      faster = vectorsBeatTheAutomaton(TimeUnit.SECONDS.toNanos(LIMIT_SECONDS));
    } catch (Throwable notThere) {
      // A JDK whose incubating API has moved on: text stays checked byte by byte.
    } finally {
      synchronized (DECIDED) {
        open = faster;
        decided = true;
        DECIDED.notifyAll();
      }
    }
  }

  private static boolean vectorsBeatTheAutomaton(long limitNanos) {
    LongSupplier clock = cpuClock();
    byte[][] samples = samples();
    Utf8Validator vectors = new Utf8Validator(Utf8Validator.Vectors.ALWAYS);
    Utf8Validator automaton = new Utf8Validator(Utf8Validator.Vectors.NEVER);
    long deadline = System.nanoTime() + limitNanos;
    int fasterRounds = 0;
    while (System.nanoTime() < deadline) {
      long start = clock.getAsLong();
      long answers = verdicts(vectors, samples);
      long middle = clock.getAsLong();
      long expected = verdicts(automaton, samples);
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

  /** Every sample's verdict (where it failed, or whether it ended complete) folded into one. */
  private static long verdicts(Utf8Validator validator, byte[][] samples) {
    long folded = 0;
    for (byte[] sample : samples) {
      validator.reset();
      int bad = validator.feed(sample, 0, sample.length);
      folded = folded * 31 + (bad >= 0 ? bad : validator.isComplete() ? -1 : -2);
    }
    return folded;
  }

  /**
   * Text of characters of every length, all ASCII, and the first broken at many places in every
   * way, so the compiled code has seen every branch it takes in use.
   */
  static byte[][] samples() {
    String[] characters = {"a", "\"", "{", "7", " ", "\u00e9", "\u0416", "\u20ac", "\u4e2d",
        "\ud7fb", "\ud83d\ude00", "\udbff\udfff"};
    StringBuilder text = new StringBuilder();
    for (int k = 0; text.length() < 1500; k++) {
      text.append(characters[(k * 7 + k / 5) % characters.length]);
    }
    byte[] mixed = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] ascii = "{\"viewer\":1234,\"x\":-0.25,\"name\":\"stats\"} ".repeat(40)
        .getBytes(StandardCharsets.UTF_8);
    byte[][] breaks = {{(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
        {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82, 'a'},
        {(byte) 0xF0, (byte) 0x9F, 'a'}, {(byte) 0xC3}};
    byte[][] samples = new byte[2 + breaks.length * 2][];
    samples[0] = mixed;
    samples[1] = ascii;
    for (int k = 0; k < breaks.length; k++) {
      samples[2 + 2 * k] = broken(mixed, 900 + 37 * k, breaks[k]);
      samples[3 + 2 * k] = broken(ascii, 500 + 53 * k, breaks[k]);
    }
    return samples;
  }

  private static byte[] broken(byte[] text, int at, byte[] bad) {
    byte[] copy = text.clone();
    System.arraycopy(bad, 0, copy, at, bad.length);
    return copy;
  }
}
