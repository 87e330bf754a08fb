package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.vector.VectorGate.Use;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Masking against the memory limit: each unmasking path next to a plain copy of the same bytes
 * between the same kinds of memory, in the same run. {@code bytes} in the output is bytes/s.
 *
 * <ul>
 *   <li>{@code copyArray} / {@code maskInPlace}: within the heap.
 *   <li>{@code copyFromDirect} / {@code unmaskFromDirect}: a socket's direct buffer into the
 *       array a frame keeps, the server's inbound path.
 *   <li>{@code copyToDirect} / {@code maskIntoDirect}: a message into a direct buffer, the
 *       client's outbound path.
 *   <li>{@code unmaskFromDirectVectors}: {@code unmaskFromDirect} a vector at a time ({@link
 *       MaskVectors}), in a JVM with {@code --add-modules jdk.incubator.vector}, as an
 *       application that wants vectors starts it.
 *   <li>{@code copyDirectToDirect} / {@code maskInPlaceDirect}: a frame unmasked in place in the
 *       socket's direct buffer, the server's inbound path for frames relayed as they came.
 *   <li>{@code maskByteByByte}: the naive loop, for scale.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class MaskingBenchmark {

  /** In L1/L2 cache, and past L2. */
  @Param({"16384", "1048576"})
  int size;

  private static final int KEY = 0x37FA213D;

  private byte[] source;
  private byte[] target;
  private ByteBuf direct;
  private ByteBuf directTarget;

  @Setup(Level.Trial)
  public void setUp() {
    source = new byte[size];
    new Random(7).nextBytes(source);
    target = new byte[size];
    direct = PooledByteBufAllocator.DEFAULT.directBuffer(size);
    direct.writeBytes(source);
    directTarget = PooledByteBufAllocator.DEFAULT.directBuffer(size);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    direct.release();
    directTarget.release();
  }

  @Benchmark
  public byte[] copyArray(Throughput counted) {
    System.arraycopy(source, 0, target, 0, size);
    counted.add(1, size);
    return target;
  }

  @Benchmark
  public byte[] maskInPlace(Throughput counted) {
    Masking.maskInPlace(target, 0, size, KEY, 0);
    counted.add(1, size);
    return target;
  }

  @Benchmark
  public byte[] maskByteByByte(Throughput counted) {
    byte[] t = target;
    for (int i = 0; i < size; i++) {
      t[i] ^= (byte) (KEY >>> (24 - 8 * (i & 3)));
    }
    counted.add(1, size);
    return t;
  }

  @Benchmark
  public byte[] copyFromDirect(Throughput counted) {
    direct.getBytes(0, target, 0, size);
    counted.add(1, size);
    return target;
  }

  @Benchmark
  public byte[] unmaskFromDirect(Throughput counted) {
    Masking.unmask(direct, 0, target, 0, size, KEY, 0);
    counted.add(1, size);
    return target;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled",
      "--add-modules=jdk.incubator.vector"})
  public byte[] unmaskFromDirectVectors(Throughput counted) {
    Masking.unmask(direct, 0, target, 0, size, KEY, 0, Use.ALWAYS);
    counted.add(1, size);
    return target;
  }

  @Benchmark
  public ByteBuf copyDirectToDirect(Throughput counted) {
    directTarget.setBytes(0, direct, 0, size);
    counted.add(1, size);
    return directTarget;
  }

  @Benchmark
  public ByteBuf maskInPlaceDirect(Throughput counted) {
    Masking.maskInPlace(direct, 0, size, KEY, 0);
    counted.add(1, size);
    return direct;
  }

  @Benchmark
  public ByteBuf copyToDirect(Throughput counted) {
    directTarget.clear().writeBytes(source, 0, size);
    counted.add(1, size);
    return directTarget;
  }

  @Benchmark
  public ByteBuf maskIntoDirect(Throughput counted) {
    Masking.maskInto(source, 0, size, directTarget.clear(), KEY, 0);
    counted.add(1, size);
    return directTarget;
  }

}
