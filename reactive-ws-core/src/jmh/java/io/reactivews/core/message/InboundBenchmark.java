package io.reactivews.core.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.frame.FrameDecoder;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.frame.Throughput;
import io.reactivews.core.internal.PooledMessages;
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
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * A server's inbound chain as an echo runs it: masked single-frame binary messages, cut into
 * reads of 64 KiB wherever the cut falls (so large frames arrive in pieces and small ones
 * straddle reads), through {@link FrameDecoder} and {@link MessageAssembler} into a subscriber
 * that asks for 16 messages and then one more per message, as the outbound queue does. {@code
 * frames} in the output is messages/s; run with {@code -prof gc} for bytes allocated per
 * message ({@code gc.alloc.rate.norm} divided by the messages per call).
 *
 * <p>{@code pooled=true} is the chain as it runs when the messages go straight to a send(): the
 * decoder keeps frames in pooled memory, unmasked in place in the reads, and the subscriber
 * releases each one as the writer would after writing it. In-place unmasking changes the reads,
 * so every call then decodes fresh copies of them, made outside the measurement. What a relay
 * saves on the way out (the array path's encoding copy) is not in this figure.
 *
 * <pre>
 * mvn -q -Pbench -pl reactive-ws-core test-compile exec:exec -Djmh.args="-prof gc Inbound"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class InboundBenchmark {

  private static final int READ = 64 << 10;

  /** Payload bytes per message. */
  @Param({"64", "16384", "1048576"})
  int size;

  /** Whether the decoder keeps frames in pooled memory, as for a relay. */
  @Param({"false", "true"})
  boolean pooled;

  private ByteBuf[] reads;
  /** What one call decodes: the reads themselves, or fresh copies when pooling changes them. */
  private ByteBuf[] input;
  private int messages;
  private FrameDecoder decoder;
  private MessageAssembler assembler;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] payload = new byte[size];
    new Random(42).nextBytes(payload);
    int[] key = {0x2A3B4C5D};
    FrameEncoder client = FrameEncoder.masking(() -> key[0]++);
    messages = Math.max(4, (1 << 20) / size);
    ByteBuf stream = PooledByteBufAllocator.DEFAULT.heapBuffer();
    for (int i = 0; i < messages; i++) {
      ByteBuf frame = client.encode(
          PooledByteBufAllocator.DEFAULT, true, 0, Opcode.BINARY, payload, 0, size);
      stream.writeBytes(frame);
      frame.release();
    }
    int count = (stream.readableBytes() + READ - 1) / READ;
    reads = new ByteBuf[count];
    for (int i = 0; i < count; i++) {
      int n = Math.min(READ, stream.readableBytes());
      reads[i] = PooledByteBufAllocator.DEFAULT.directBuffer(n);
      stream.readBytes(reads[i], n);
    }
    stream.release();
    decoder = FrameDecoder.forRole(Role.SERVER).maxFrameSize(16 << 20);
    if (pooled) {
      decoder = decoder.pooling(() -> true);
    }
    assembler = MessageAssembler.create().maxMessageSize(16 << 20);
    input = reads;
  }

  /** Fresh copies of the reads for a pooling call: it unmasks them in place. */
  @Setup(Level.Invocation)
  public void copyReads() {
    if (!pooled) {
      return;
    }
    input = new ByteBuf[reads.length];
    for (int i = 0; i < reads.length; i++) {
      input[i] = PooledByteBufAllocator.DEFAULT.directBuffer(reads[i].readableBytes())
          .writeBytes(reads[i], reads[i].readerIndex(), reads[i].readableBytes());
    }
  }

  /** The reads' own reference, which the source would drop after lending them. */
  @TearDown(Level.Invocation)
  public void releaseCopies() {
    if (pooled) {
      for (ByteBuf copy : input) {
        copy.release();
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (ByteBuf read : reads) {
      read.release();
    }
  }

  @Benchmark
  public long decodeAndAssemble(Throughput counted) {
    Echo echo = new Echo();
    Flux.fromArray(input).transform(decoder).transform(assembler).subscribe(echo);
    if (echo.received != messages) {
      throw new AssertionError(echo.received + " of " + messages + " messages");
    }
    counted.add(messages, size);
    return echo.bytes;
  }

  /** Takes messages as an echo's outbound queue does: 16 ahead, then one per message. */
  static final class Echo extends BaseSubscriber<Message> {
    int received;
    long bytes;

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      request(16);
    }

    @Override
    protected void hookOnNext(Message message) {
      received++;
      bytes += message.size();
      PooledMessages.release(message); // as the writer does once the frame is written
      request(1);
    }
  }
}
