package io.reactivews.core.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.frame.Throughput;
import java.util.Arrays;
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
import reactor.core.publisher.Flux;

/**
 * One text message sent as many fragments, joined again: through {@link MessageAssembler} alone
 * (frames already decoded), and through the whole inbound chain of a server (masked bytes in one
 * buffer, {@link FrameDecoder}, then the assembler), as a session runs it. {@code frames} in the
 * output is fragments/s, {@code bytes} payload bytes/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class ReassemblyBenchmark {

  @Param({"1000"})
  int fragments;

  /** Payload bytes per fragment. */
  @Param({"16", "1024"})
  int fragmentSize;

  private Frame[] frames;
  private ByteBuf wire;
  private MessageAssembler assembler;
  private FrameDecoder decoder;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] piece = new byte[fragmentSize];
    Arrays.fill(piece, (byte) 'x');
    frames = new Frame[fragments];
    for (int i = 0; i < fragments; i++) {
      Opcode opcode = i == 0 ? Opcode.TEXT : Opcode.CONTINUATION;
      frames[i] = Frame.of(i == fragments - 1, 0, opcode, piece);
    }
    int[] key = {0x11223344};
    FrameEncoder client = FrameEncoder.masking(() -> key[0]++);
    wire = PooledByteBufAllocator.DEFAULT.directBuffer();
    for (Frame frame : frames) {
      ByteBuf encoded = client.encode(PooledByteBufAllocator.DEFAULT, frame);
      wire.writeBytes(encoded);
      encoded.release();
    }
    long total = (long) fragments * fragmentSize;
    assembler = MessageAssembler.create().maxMessageSize(total);
    decoder = FrameDecoder.forRole(Role.SERVER).maxFrameSize(Math.max(125, fragmentSize));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    wire.release();
  }

  @Benchmark
  public Message assemble(Throughput counted) {
    Message message = Flux.fromArray(frames).transform(assembler).blockLast();
    counted.add(fragments, fragmentSize);
    return message;
  }

  @Benchmark
  public Message decodeAndAssemble(Throughput counted) {
    Message message = Flux.just(wire).transform(decoder).transform(assembler).blockLast();
    counted.add(fragments, fragmentSize);
    return message;
  }
}
