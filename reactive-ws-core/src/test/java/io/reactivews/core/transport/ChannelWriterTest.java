package io.reactivews.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
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

  private List<Integer> firstBytesWritten() {
    List<Integer> firsts = new ArrayList<>();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      if (buf.isReadable()) {
        firsts.add((int) buf.getUnsignedByte(0));
      }
      buf.release();
    }
    return firsts;
  }

  @Test
  void aWriteIsFlushedAtTheEndOfTheTurn() {
    // One buffer only: an embedded channel runs pending tasks at each write.
    send(Flux.just(bytes(0x81)).concatWith(Flux.never()));
    assertTrue(channel.outboundMessages().isEmpty(), "nothing flushed before the turn ends");
    channel.runPendingTasks();
    assertEquals(List.of(0x81), firstBytesWritten());
    assertFalse(completed.get());
  }

  @Test
  void completesOnceEverythingWasWrittenInOrder() {
    send(Flux.just(bytes(1), bytes(2), bytes(3)));
    assertFalse(completed.get(), "not before the flush");
    channel.runPendingTasks();
    assertTrue(completed.get());
    assertNull(failed.get());
    assertEquals(List.of(1, 2, 3), firstBytesWritten());
  }

  @Test
  void aFailingSourceFailsTheSendAfterWhatItGaveIsFlushed() {
    IllegalStateException boom = new IllegalStateException("boom");
    send(Flux.just(bytes(7)).concatWith(Flux.error(boom)));
    channel.runPendingTasks();
    assertEquals(List.of(7), firstBytesWritten());
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
    assertEquals(total, firstBytesWritten().size());
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
}
