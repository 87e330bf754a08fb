package io.reactivews.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.publisher.TestPublisher;

/**
 * The frame writer under {@link NettyTransport}: order, one flush per burst, demand that follows
 * the channel, and no buffer left unreleased whichever way the stream ends.
 */
class ChannelWriterTest {

  private final FlushCounter flushes = new FlushCounter();
  private final EmbeddedChannel channel = new EmbeddedChannel(flushes);
  private final TestPublisher<ByteBuf> frames = TestPublisher.createNoncompliant(
      TestPublisher.Violation.REQUEST_OVERFLOW);
  private final AtomicReference<Object> outcome = new AtomicReference<>();

  @AfterEach
  void releaseWhatTheChannelHolds() {
    channel.finishAndReleaseAll();
  }

  private volatile long requested;

  private Mono<Void> write() {
    return write(channel);
  }

  private Mono<Void> write(Channel target) {
    return Mono.create(sink -> new ChannelWriter(target, sink)
        .start(frames.flux().doOnRequest(n -> requested += n)));
  }

  private void start() {
    write().subscribe(null, outcome::set, () -> outcome.set("complete"));
  }

  private ByteBuf frame(int value) {
    return Unpooled.buffer(1).writeByte(value);
  }

  private List<Integer> written() {
    List<Integer> values = new ArrayList<>();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      while (buf.isReadable()) {
        values.add((int) buf.readByte());
      }
      buf.release();
    }
    return values;
  }

  @Test
  void writesInOrder() {
    start();
    frames.next(frame(1), frame(2), frame(3));
    channel.runPendingTasks();
    assertEquals(List.of(1, 2, 3), written());
  }

  /** A real event loop: the embedded one runs pending tasks on every write. */
  @Test
  void aBurstOnTheEventLoopIsFlushedOnce() throws Exception {
    onRealEventLoop((client, counter) -> {
      write(client).subscribe(null, outcome::set);
      client.eventLoop().submit(() -> frames.next(frame(1), frame(2), frame(3))).sync();
      client.eventLoop().submit(() -> { }).sync();
      assertEquals(1, counter.count, "three frames, one flush");
    });
  }

  private interface LocalTest {
    void run(Channel client, FlushCounter counter) throws Exception;
  }

  /** Runs {@code test} with a client channel connected in memory to a server that drops input. */
  private static void onRealEventLoop(LocalTest test) throws Exception {
    DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    try {
      LocalAddress address = new LocalAddress("channel-writer-test");
      Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
          .childHandler(new ChannelInboundHandlerAdapter()).bind(address).sync().channel();
      FlushCounter counter = new FlushCounter();
      Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
          .handler(counter).connect(address).sync().channel();
      try {
        test.run(client, counter);
      } finally {
        client.close().sync();
        server.close().sync();
      }
    } finally {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void asksForAWindowThenForMoreAsFramesAreWritten() {
    start();
    assertEquals(ChannelWriter.WINDOW, requested);
    for (int i = 0; i < ChannelWriter.WINDOW / 2 - 1; i++) {
      frames.next(frame(i));
    }
    assertEquals(ChannelWriter.WINDOW, requested, "no request before half the window is written");
    frames.next(frame(0));
    assertEquals(ChannelWriter.WINDOW + ChannelWriter.WINDOW / 2, requested);
    channel.runPendingTasks();
    assertEquals(ChannelWriter.WINDOW / 2, written().size());
  }

  @Test
  void anUnwritableChannelHoldsDemandUntilTheSocketTookEverything() throws Exception {
    onRealEventLoop((client, counter) -> {
      client.config().setWriteBufferLowWaterMark(8);
      client.config().setWriteBufferHighWaterMark(16);
      write(client).subscribe(null, outcome::set);
      long[] during = new long[1];
      client.eventLoop().submit(() -> {
        for (int i = 0; i < ChannelWriter.WINDOW / 2; i++) {
          frames.next(Unpooled.buffer(32).writeZero(32));
        }
        during[0] = requested; // before the flush: the channel is over its high water mark
      }).sync();
      client.eventLoop().submit(() -> { }).sync();
      assertEquals(ChannelWriter.WINDOW, during[0], "no more while the channel is full");
      assertEquals(ChannelWriter.WINDOW + ChannelWriter.WINDOW / 2, requested,
          "more once the socket took everything");
    });
  }

  @Test
  void completesOnceEverythingIsWritten() {
    start();
    frames.next(frame(1));
    frames.complete();
    channel.runPendingTasks();
    assertEquals("complete", outcome.get());
    assertEquals(List.of(1), written());
  }

  @Test
  void upstreamErrorEndsTheWrite() {
    start();
    frames.error(new IllegalStateException("boom"));
    assertInstanceOf(IllegalStateException.class, outcome.get());
  }

  @Test
  void closingTheChannelCancelsTheSourceAndReleasesWhatArrivesLate() {
    start();
    channel.close();
    channel.runPendingTasks();
    assertInstanceOf(ClosedChannelException.class, outcome.get());
    frames.assertCancelled();
  }

  @Test
  void cancellingTheWriteCancelsTheSource() {
    write().subscribe(null, outcome::set, () -> outcome.set("complete")).dispose();
    frames.assertCancelled();
    assertNull(outcome.get());
    assertTrue(channel.isOpen(), "cancelling the write does not close the channel");
  }

  /** Counts flushes on their way to the channel. */
  @io.netty.channel.ChannelHandler.Sharable
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count++;
      ctx.flush();
    }
  }
}
