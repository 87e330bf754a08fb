package io.reactivews.core.message;

import io.reactivews.core.frame.Throughput;
import io.reactivews.core.vector.VectorGate;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Checking a text message's UTF-8 with {@link Utf8Validator} against {@link
 * PreviousUtf8Validator} (the one it replaced) and the JDK: a reused strict
 * {@link CharsetDecoder} (the JDK's own validating decoder; it also writes the chars) and {@code
 * new String(bytes, UTF_8)} (which replaces bad bytes instead of failing, so it is not a check,
 * but it is what most code runs on text anyway). {@code bytes} in the output is bytes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Utf8Benchmark {

  /**
   * JSON-like ASCII; European text (mostly ASCII, some 2-byte); CJK (3-byte) with ASCII; the
   * load generator's text ({@code bench echo --text}): characters of 1 to 4 bytes at random.
   */
  @Param({"ascii", "latin", "cjk", "mixed"})
  String text;

  @Param({"125", "16384", "1048576"})
  int size;

  /** The texts, taken in turn: many different ones for "mixed" (see {@link #setUp}). */
  private byte[][] texts;
  private int next;
  private final Utf8Validator validator = new Utf8Validator();
  private final Utf8Validator vectors = new Utf8Validator(VectorGate.Use.ALWAYS);
  private final Utf8Validator automaton = new Utf8Validator(VectorGate.Use.NEVER);
  private final PreviousUtf8Validator previous = new PreviousUtf8Validator();
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private CharBuffer chars;

  @Setup(Level.Trial)
  public void setUp() {
    // One text repeated lets the branch predictor learn it by heart; random text is not
    // learnt, so "mixed" takes turns among texts of 4 MiB in all, as different messages would.
    int count = text.equals("mixed") ? Math.max(1, (4 << 20) / size) : 1;
    texts = new byte[count][];
    for (int k = 0; k < count; k++) {
      texts[k] = text.equals("mixed") ? mixed(size, k) : repeated(text, size);
      previous.reset();
      boolean previousAccepts =
          previous.feed(texts[k], 0, texts[k].length) < 0 && previous.isComplete();
      if (!Utf8Validator.isValid(texts[k]) || !previousAccepts) {
        throw new IllegalStateException("fixture is not valid UTF-8");
      }
    }
    chars = CharBuffer.allocate(texts[0].length);
  }

  /** The next text in turn (a field load and a compare: nothing next to a check). */
  private byte[] take() {
    byte[] t = texts[next];
    next = next + 1 == texts.length ? 0 : next + 1;
    return t;
  }

  private static byte[] repeated(String text, int size) {
    String unit = switch (text) {
      case "ascii" -> "{\"type\":\"score\",\"team\":\"blue\",\"points\":42,\"ts\":1719830400123},";
      case "latin" -> "Größere Übungen für Straßenläufer, déjà vu à la carte, ñandú. ";
      case "cjk" -> "実況: 青チームが得点しました (42点)。观众欢呼! ";
      default -> throw new IllegalArgumentException(text);
    };
    StringBuilder sb = new StringBuilder();
    while (sb.toString().getBytes(StandardCharsets.UTF_8).length < size) {
      sb.append(unit);
    }
    byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
    // Cut back to a character boundary at or below the size.
    int end = size;
    while ((all[end] & 0xC0) == 0x80) {
      end--;
    }
    return java.util.Arrays.copyOf(all, end);
  }

  /**
   * The load generator's mix: of every 23 characters drawn, 18 are ASCII, two are 2-byte, two
   * 3-byte and one 4-byte, in random order, so no branch on a byte's length predicts well.
   */
  static byte[] mixed(int size, int seed) {
    String[] alphabet = {"a", "b", "c", "d", "e", "k", "s", "z", "A", "Q", "0", "7", " ", "{",
        "}", ":", ",", "\"", "\u00e9", "\u00df", "\u20ac", "\u4e2d", "\ud83d\ude00"};
    java.util.Random random = new java.util.Random(31L * size + seed);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
    while (out.size() < size) {
      byte[] c = alphabet[random.nextInt(alphabet.length)].getBytes(StandardCharsets.UTF_8);
      out.writeBytes(c.length <= size - out.size() ? c : new byte[] {'x'});
    }
    return out.toByteArray();
  }

  @Benchmark
  public boolean validator(Throughput counted) {
    return check(validator, counted);
  }

  /** The automaton alone, in a JVM with the Vector API as {@link #vectors} has, to compare. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules=jdk.incubator.vector"})
  public boolean automaton(Throughput counted) {
    return check(automaton, counted);
  }

  /** Long runs a vector at a time ({@link Utf8Vectors}), from the first call on. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules=jdk.incubator.vector"})
  public boolean vectors(Throughput counted) {
    return check(vectors, counted);
  }

  private boolean check(Utf8Validator v, Throughput counted) {
    byte[] bytes = take();
    v.reset();
    boolean ok = v.feed(bytes, 0, bytes.length) < 0 && v.isComplete();
    counted.add(1, bytes.length);
    return ok;
  }

  @Benchmark
  public boolean previous(Throughput counted) {
    byte[] bytes = take();
    previous.reset();
    boolean ok = previous.feed(bytes, 0, bytes.length) < 0 && previous.isComplete();
    counted.add(1, bytes.length);
    return ok;
  }

  @Benchmark
  public boolean jdkDecoder(Throughput counted) {
    byte[] bytes = take();
    decoder.reset();
    chars.clear();
    CoderResult result = decoder.decode(ByteBuffer.wrap(bytes), chars, true);
    counted.add(1, bytes.length);
    return !result.isError();
  }

  @Benchmark
  public String jdkNewString(Throughput counted) {
    byte[] bytes = take();
    counted.add(1, bytes.length);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
