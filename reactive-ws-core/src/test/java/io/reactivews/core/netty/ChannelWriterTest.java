package io.reactivews.core.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.reactivews.core.netty.TurnTesting.FlushCounter;
import io.reactivews.core.netty.TurnTesting.ReleasingHandler;
import java.lang.ref.WeakReference;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** The writer behind a Netty transport's send: order, one flush per turn, pacing, closing. */
class ChannelWriterTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final AtomicBoolean completed = new AtomicBoolean();
  private final AtomicReference<Throwable> failed = new AtomicReference<>();

  @AfterEach
  void release() {
    channel.finishAndReleaseAll();
  }

  private void send(Flux<ByteBuf> frames) {
    new ChannelWriter(channel, frames).subscribe(null, failed::set, () -> completed.set(true));
  }

  private static ByteBuf bytes(int... values) {
    ByteBuf buf = Unpooled.buffer(values.length);
    for (int v : values) {
      buf.writeByte(v);
    }
    return buf;
  }

  /** Every byte written, in order: small frames of one turn may share a buffer. */
  private List<Integer> bytesWritten() {
    List<Integer> all = new ArrayList<>();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      while (buf.isReadable()) {
        all.add((int) buf.readUnsignedByte());
      }
      buf.release();
    }
    return all;
  }

  @Test
  void aWriteIsFlushedAtTheEndOfTheTurn() {
    // One buffer only: an embedded channel runs pending tasks at each write.
    send(Flux.just(bytes(0x81)).concatWith(Flux.never()));
    assertTrue(channel.outboundMessages().isEmpty(), "nothing flushed before the turn ends");
    channel.runPendingTasks();
    assertEquals(List.of(0x81), bytesWritten());
    assertFalse(completed.get());
  }

  @Test
  void completesOnceEverythingWasWrittenInOrder() {
    send(Flux.just(bytes(1), bytes(2), bytes(3)));
    assertFalse(completed.get(), "not before the flush");
    channel.runPendingTasks();
    assertTrue(completed.get());
    assertNull(failed.get());
    assertEquals(List.of(1, 2, 3), bytesWritten());
  }

  @Test
  void aFinishedSendLeavesNothingOfItselfOnTheOpenChannel() throws InterruptedException {
    // A handshake head is sent first, then the session's frames: the head's subscriber (the
    // handshake's whole chain) must not stay reachable from the channel while it is open.
    WeakReference<Object> headSubscriber = sendHead();
    for (int i = 0; i < 100 && headSubscriber.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertTrue(channel.isOpen());
    assertNull(headSubscriber.get(), "the finished send is still held by the channel");
  }

  private WeakReference<Object> sendHead() {
    BaseSubscriber<Void> subscriber = new BaseSubscriber<>() {
      @Override
      protected void hookOnComplete() {
        completed.set(true);
      }
    };
    new ChannelWriter(channel, Flux.just(bytes(0x48))).subscribe(subscriber);
    channel.runPendingTasks();
    assertTrue(completed.get());
    assertEquals(List.of(0x48), bytesWritten());
    return new WeakReference<>(subscriber);
  }

  @Test
  void aFailingSourceFailsTheSendAfterWhatItGaveIsFlushed() {
    IllegalStateException boom = new IllegalStateException("boom");
    send(Flux.just(bytes(7)).concatWith(Flux.error(boom)));
    channel.runPendingTasks();
    assertEquals(List.of(7), bytesWritten());
    assertEquals(boom, failed.get());
  }

  @Test
  void closingTheChannelFailsTheSendAndCancelsTheSource() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Sinks.Many<ByteBuf> source = Sinks.many().unicast().onBackpressureBuffer();
    send(source.asFlux().doOnCancel(() -> cancelled.set(true)));
    channel.close();
    channel.runPendingTasks();
    assertTrue(cancelled.get());
    assertInstanceOf(ClosedChannelException.class, failed.get());
    assertFalse(completed.get());
  }

  @Test
  void neverAsksForMoreThanItsWindowAhead() {
    AtomicLong requested = new AtomicLong();
    AtomicLong emitted = new AtomicLong();
    AtomicLong mostAhead = new AtomicLong();
    int total = 1000;
    Flux<ByteBuf> frames = Flux.range(0, total)
        .doOnRequest(n -> mostAhead.accumulateAndGet(
            requested.addAndGet(n) - emitted.get(), Math::max))
        .map(i -> {
          emitted.incrementAndGet();
          return bytes(i & 0xFF);
        });
    send(frames);
    channel.runPendingTasks();
    assertTrue(completed.get());
    assertEquals(total, bytesWritten().size());
    assertTrue(mostAhead.get() <= ChannelWriter.WINDOW, "asked ahead: " + mostAhead.get());
  }

  @Test
  void whatArrivesAfterTheChannelClosedIsReleased() {
    // A source that, like a racing one, still emits after it was cancelled.
    AtomicReference<Subscriber<? super ByteBuf>> subscriber = new AtomicReference<>();
    Publisher<ByteBuf> racing = s -> {
      subscriber.set(s);
      s.onSubscribe(new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
    };
    new ChannelWriter(channel, racing).subscribe(null, failed::set);
    channel.close();
    ByteBuf late = bytes(9);
    subscriber.get().onNext(late);
    channel.runPendingTasks();
    assertEquals(0, late.refCnt());
  }

  /** A real event loop: the embedded one runs pending tasks on every write. */
  @Test
  void aBurstOnTheEventLoopIsFlushedOnce() throws Exception {
    FlushCounter flushes = new FlushCounter();
    onRealEventLoop(flushes, client -> {
      Sinks.Many<ByteBuf> frames = Sinks.many().unicast().onBackpressureError();
      new ChannelWriter(client, frames.asFlux()).subscribe(null, failed::set);
      client.eventLoop().submit(() -> {
        frames.tryEmitNext(bytes(1));
        frames.tryEmitNext(bytes(2));
        frames.tryEmitNext(bytes(3));
      }).sync();
      client.eventLoop().submit(() -> { }).sync();
      assertEquals(1, flushes.count, "three frames, one flush");
    });
  }

  /** A fan-out ends the turn early for each connection: its bytes leave before the next's. */
  @Test
  void anEarlyEndOfTheTurnFlushesWhatWasWrittenAndTheTurnsEndTheRest() throws Exception {
    FlushCounter flushes = new FlushCounter();
    onRealEventLoop(flushes, client -> {
      Sinks.Many<ByteBuf> frames = Sinks.many().unicast().onBackpressureError();
      new ChannelWriter(client, frames.asFlux()).subscribe(null, failed::set);
      List<Integer> flushesSeen = new ArrayList<>();
      List<Long> turns = new ArrayList<>();
      client.eventLoop().submit(() -> {
        frames.tryEmitNext(bytes(1));
        frames.tryEmitNext(bytes(2));
        flushesSeen.add(flushes.count);
        turns.add(TurnEnd.turnsEnded());
        TurnEnd.runNow();
        flushesSeen.add(flushes.count);
        turns.add(TurnEnd.turnsEnded());
        TurnEnd.runNow(); // nothing written since: no flush
        flushesSeen.add(flushes.count);
        frames.tryEmitNext(bytes(3));
      }).sync();
      client.eventLoop().submit(() -> turns.add(TurnEnd.turnsEnded())).sync();
      assertEquals(List.of(0, 1, 1), flushesSeen, "flushed when the turn ended early, once");
      assertEquals(2, flushes.count, "and what came after at the turn's end");
      assertEquals(turns.get(0), turns.get(1), "an early end does not end the turn");
      assertEquals(turns.get(0) + 1, turns.get(2), "the turn's end does");
    });
  }

  @Test
  void whatFailsInAnEarlyEndIsReportedByTheTurnsEndWhileTheRestRuns() throws Exception {
    List<String> ran = new ArrayList<>();
    Throwable outcome = TurnTesting.onFreshThread(own -> {
      assertTrue(TurnEnd.schedule(own.eventLoop(), own, () -> {
        throw new IllegalStateException("a writer failed");
      }));
      assertTrue(TurnEnd.schedule(own.eventLoop(), own, () -> ran.add("next writer")));
      TurnEnd.runNow(); // does not throw: the fan-out that called it goes on
      ran.add("fan-out goes on");
    });
    assertEquals(List.of("next writer", "fan-out goes on"), ran);
    assertInstanceOf(IllegalStateException.class, outcome);
    assertEquals("a writer failed", outcome.getMessage());
  }

  @Test
  void aFullChannelHoldsDemandUntilTheSocketTookEverything() throws Exception {
    FlushGate socket = new FlushGate();
    onRealEventLoop(socket, client -> {
      client.config().setWriteBufferLowWaterMark(8);
      client.config().setWriteBufferHighWaterMark(16);
      AtomicLong requested = new AtomicLong();
      Sinks.Many<ByteBuf> frames = Sinks.many().unicast().onBackpressureError();
      new ChannelWriter(client, frames.asFlux().doOnRequest(requested::addAndGet))
          .subscribe(null, failed::set);
      int refill = ChannelWriter.WINDOW - ChannelWriter.WINDOW / 4;
      client.eventLoop().submit(() -> {
        for (int i = 0; i < refill; i++) {
          frames.tryEmitNext(Unpooled.buffer(32).writeZero(32));
        }
      }).sync();
      client.eventLoop().submit(() -> { }).sync(); // the turn's flush ran: the socket is full
      assertFalse(client.isWritable());
      assertEquals(ChannelWriter.WINDOW, requested.get(), "no more while the channel is full");
      client.eventLoop().submit(socket::open).sync();
      client.eventLoop().submit(() -> { }).sync();
      assertEquals(ChannelWriter.WINDOW + refill, requested.get(),
          "more once the socket took everything");
    });
  }

  private interface ChannelTest {
    void run(Channel client) throws Exception;
  }

  /**
   * Runs {@code test} with a client channel (with {@code handler} in its pipeline) connected in
   * memory to a server that drops what it reads.
   */
  private static void onRealEventLoop(ChannelHandler handler, ChannelTest test) throws Exception {
    DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    try {
      LocalAddress address = new LocalAddress("channel-writer-test");
      Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
          .childHandler(new ReleasingHandler()).bind(address).sync().channel();
      Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
          .handler(handler).connect(address).sync().channel();
      try {
        test.run(client);
      } finally {
        client.close().sync();
        server.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  /**
   * A socket whose send buffer is full until {@link #open}: writes are counted against the
   * channel's high water mark as usual, but flushes do not reach the wire.
   */
  private static final class FlushGate extends ChannelOutboundHandlerAdapter {
    private ChannelHandlerContext ctx;
    private boolean open;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (open) {
        ctx.flush();
      }
    }

    /** Call on the event loop. */
    void open() {
      open = true;
      ctx.flush();
    }
  }
}
