package io.reactivews.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding and encoding whole frames, as a server reads them (masked, from a client) and as a
 * client reads them (unmasked, from a server), from and into pooled direct buffers as the socket
 * hands them over. A decode call parses a buffer holding about 64 KiB of back-to-back frames (at
 * least one), so small frames are measured at their per-frame cost, not the call's.
 *
 * <pre>
 * mvn -q -Pbench -pl reactive-ws-core test-compile exec:exec -Djmh.args="FrameCodec"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class FrameCodecBenchmark {

  /** Payload size in bytes: the three length encodings, and a large message. */
  @Param({"16", "125", "16384", "1048576"})
  int size;

  /** Who sent the frames: a client masks, a server does not. */
  @Param({"client", "server"})
  String sender;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private FrameEncoder encoder;
  private byte[] payload;
  private ByteBuf wire;
  private int framesOnWire;
  private FrameParser parser;

  @Setup(Level.Trial)
  public void setUp() {
    payload = new byte[size];
    new Random(42).nextBytes(payload);
    boolean client = sender.equals("client");
    int[] key = {0x2A3B4C5D};
    encoder = client ? FrameEncoder.masking(() -> key[0]++) : FrameEncoder.forRole(Role.SERVER);
    framesOnWire = Math.max(1, (64 << 10) / (size + 14));
    wire = alloc.directBuffer(framesOnWire * (size + 14));
    for (int i = 0; i < framesOnWire; i++) {
      ByteBuf frame = encoder.encode(alloc, true, 0, Opcode.BINARY, payload, 0, size);
      wire.writeBytes(frame);
      frame.release();
    }
    // The receiving end: a server expects masks, a client refuses them.
    parser = new FrameParser(client, 16 << 20, 0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    wire.release();
  }

  @Benchmark
  public void decode(Blackhole bh, Throughput counted) {
    Consumer<Frame> sink = bh::consume;
    parser.parse(wire, sink);
    counted.add(framesOnWire, size);
  }

  @Benchmark
  public void encode(Blackhole bh, Throughput counted) {
    ByteBuf frame = encoder.encode(alloc, true, 0, Opcode.BINARY, payload, 0, size);
    bh.consume(frame.writerIndex());
    frame.release();
    counted.add(1, size);
  }
}
