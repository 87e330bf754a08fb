package io.reactivews.core.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.reactivews.core.netty.TurnTesting.FlushCounter;
import io.reactivews.core.netty.TurnTesting.ReleasingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * What a connection writes while its own reads are handled leaves when that read batch ends;
 * what it writes otherwise, at the end of the turn. Two connections on one real event loop; the
 * read batches are the pipeline's own events, fired inside one task (one turn) to see them apart.
 */
class ReadBatchEndTest {

  private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
  private final AtomicReference<Throwable> failed = new AtomicReference<>();
  private Channel server;
  private Connected a;
  private Connected b;

  /** A connection with a writer and its flushes counted. */
  private record Connected(Channel channel, Sinks.Many<ByteBuf> frames, FlushCounter flushes) {
    void write() {
      frames.tryEmitNext(Unpooled.wrappedBuffer(new byte[] {1}));
    }

    void read() {
      channel.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
    }

    void readComplete() {
      channel.pipeline().fireChannelReadComplete();
    }

    int flushed() {
      return flushes.count;
    }
  }

  @BeforeEach
  void connect() throws Exception {
    LocalAddress address = new LocalAddress("read-batch-end-test");
    server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
        .childHandler(new ReleasingHandler()).bind(address).sync().channel();
    a = connected(address);
    b = connected(address);
  }

  private Connected connected(LocalAddress address) throws Exception {
    FlushCounter flushes = new FlushCounter();
    Channel channel = new Bootstrap().group(group).channel(LocalChannel.class)
        .handler(flushes).connect(address).sync().channel();
    ReadBatchEnd.install(channel.pipeline());
    ReadBatchEnd.install(channel.pipeline()); // once only
    Sinks.Many<ByteBuf> frames = Sinks.many().unicast().onBackpressureError();
    new ChannelWriter(channel, frames.asFlux()).subscribe(null, failed::set);
    return new Connected(channel, frames, flushes);
  }

  @AfterEach
  void close() throws Exception {
    assertNull(failed.get(), "no write failed"); // closing fails the writers, as it should
    a.channel().close().sync();
    b.channel().close().sync();
    server.close().sync();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
  }

  /** Runs {@code turn} as one task of the loop, then lets the loop run the turn's end. */
  private void inOneTurn(Runnable turn) throws Exception {
    group.submit(turn).sync();
    group.submit(() -> { }).sync();
  }

  @Test
  void aReplyLeavesWhenItsReadBatchEnds() throws Exception {
    List<Integer> seen = new ArrayList<>();
    inOneTurn(() -> {
      a.read();
      a.write();
      a.write();
      a.read();
      seen.add(a.flushed());
      a.readComplete();
      seen.add(a.flushed());
    });
    assertEquals(List.of(0, 1), seen, "one flush, when the batch ended, not before");
    assertEquals(1, a.flushed(), "and none more at the turn's end");
  }

  @Test
  void eachReadBatchOfATurnIsFlushedOnce() throws Exception {
    List<Integer> seen = new ArrayList<>();
    inOneTurn(() -> {
      for (int i = 0; i < 3; i++) {
        a.read();
        a.write();
        a.readComplete();
        seen.add(a.flushed());
      }
    });
    assertEquals(List.of(1, 2, 3), seen);
    assertEquals(3, a.flushed());
  }

  @Test
  void whatAReadMakesAnotherConnectionWriteWaitsForTheTurnsEnd() throws Exception {
    List<Integer> seen = new ArrayList<>();
    inOneTurn(() -> {
      a.read();
      b.write(); // a relay: a's read, b's write
      a.readComplete();
      seen.add(b.flushed());
    });
    assertEquals(List.of(0), seen, "not flushed with a's batch");
    assertEquals(1, b.flushed(), "but at the turn's end");
    assertEquals(0, a.flushed(), "a wrote nothing");
  }

  @Test
  void anotherConnectionsReadEndsABatchWhoseEndWentUnseen() throws Exception {
    List<Integer> seen = new ArrayList<>();
    inOneTurn(() -> {
      a.read();
      a.write();
      b.read();
      seen.add(a.flushed());
      b.write();
      seen.add(b.flushed());
    });
    assertEquals(List.of(1, 0), seen, "a's batch ended where b's began");
    assertEquals(1, a.flushed());
    assertEquals(1, b.flushed(), "b's, with no end seen, at the turn's end");
  }

  @Test
  void writesOutsideAnyReadBatchShareTheTurnsOneFlush() throws Exception {
    List<Integer> seen = new ArrayList<>();
    inOneTurn(() -> {
      a.write();
      a.read();
      a.write(); // already due at the turn's end: joins that flush
      a.readComplete();
      seen.add(a.flushed());
    });
    assertEquals(List.of(0), seen);
    assertEquals(1, a.flushed());
  }

  @Test
  void anEarlyEndOfTheTurnLeavesTheReadBatchsWorkDue() throws Exception {
    List<Integer> seen = new ArrayList<>();
    inOneTurn(() -> {
      a.read();
      a.write();
      b.write();
      TurnEnd.runNow(); // a fan-out during a's read: b's share leaves now
      seen.add(b.flushed());
      seen.add(a.flushed());
      a.readComplete();
      seen.add(a.flushed());
    });
    assertEquals(List.of(1, 0, 1), seen);
  }

  @Test
  void whatFailsAtABatchsEndIsReportedByTheTurnsEndAndTheReadGoesOn() throws Exception {
    List<String> ran = new ArrayList<>();
    Throwable outcome = TurnTesting.onFreshThread(own -> {
      TurnEnd.readStarted(own);
      assertTrue(TurnEnd.schedule(own.eventLoop(), own, () -> {
        throw new IllegalStateException("a writer failed");
      }));
      assertTrue(TurnEnd.schedule(own.eventLoop(), own, () -> ran.add("next writer")));
      TurnEnd.readEnded(own); // does not throw: the pipeline's read complete goes on
      ran.add("read goes on");
    });
    assertEquals(List.of("next writer", "read goes on"), ran);
    assertInstanceOf(IllegalStateException.class, outcome);
    assertEquals("a writer failed", outcome.getMessage());
  }
}
