package io.reactivews.core.session;

import io.reactivews.core.internal.PreparedMessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.message.Message;
import io.reactivews.core.session.CloseHandshake.Actions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;
import reactor.util.context.Context;

/**
 * The outbound queue on its own, with a test subscriber for the transport: priorities, the close
 * frame's place, what is dropped and released, and races between emitting, sending, closing and
 * the transport cancelling.
 */
class OutboundQueueTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final CloseHandshake closing = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
  private final Wire wire = new Wire();
  private final List<PreparedMessage> prepared = new ArrayList<>();

  private OutboundQueue queue(SessionOptions options) {
    return serverQueue(options, closing, wire);
  }

  /** A server's queue, asking {@code closing}, written to {@code wire}. */
  private static OutboundQueue serverQueue(
      SessionOptions options, CloseHandshake closing, Wire wire) {
    OutboundQueue queue = new OutboundQueue(FrameEncoder.forRole(Role.SERVER),
        PooledByteBufAllocator.DEFAULT, options, closing, size -> { }, failure -> { }, null);
    queue.subscribe(wire);
    return queue;
  }

  private OutboundQueue queue() {
    return queue(SessionOptions.defaults());
  }

  private PreparedMessage prepare(String text) {
    PreparedMessage message = PreparedMessage.of(Message.text(text), PooledByteBufAllocator.DEFAULT);
    prepared.add(message);
    return message;
  }

  @AfterEach
  void nothingLeaks() {
    wire.releaseWritten();
    for (PreparedMessage message : prepared) {
      assertEquals(1, message.refCnt(), "only the creator's reference may be left: " + message);
      message.release();
    }
  }

  /** As the session does: the handshake decides, the queue is told to look. */
  private void close(OutboundQueue queue, Actions actions) {
    if (actions.sendClose() != null) {
      queue.closeBegun();
    }
  }

  @Test
  void aMessageWithNothingAheadIsWrittenOnTheSpotAndCountsAgainstNoLimit() {
    OutboundQueue queue = queue(SessionOptions.defaults().outboundQueueMessages(1));
    wire.request(10);
    for (int i = 0; i < 5; i++) {
      assertEquals(Sinks.EmitResult.OK, queue.tryEmit(Message.text("m" + i)));
    }
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), wire.texts());
    assertEquals(0, queue.queuedMessages());
  }

  @Test
  void aPingOrPongWithNothingAheadIsWrittenOnTheSpotAndMakesNoQueue() {
    OutboundQueue queue = queue();
    wire.request(3);
    assertTrue(queue.offerControl(Frame.of(Opcode.PING, new byte[] {1})));
    assertTrue(queue.offerControl(Frame.of(Opcode.PONG, new byte[] {2})));
    assertEquals(Sinks.EmitResult.OK, queue.tryEmit(Message.text("a")));
    assertEquals(List.of("PING", "PONG", "a"), wire.texts());
    assertFalse(queue.madeQueue(), "a keepalive must not leave a queue behind on an idle session");

    assertTrue(queue.offerControl(Frame.of(Opcode.PING, new byte[] {3})));
    assertTrue(queue.madeQueue(), "the transport asks for nothing more: the ping waits");
    wire.request(1);
    assertEquals(List.of("PING", "PONG", "a", "PING"), wire.texts());
  }

  @Test
  void pingsAndPongsOvertakeQueuedMessages() {
    OutboundQueue queue = queue();
    queue.tryEmit(Message.text("a"));
    queue.tryEmit(Message.text("b"));
    assertEquals(2, queue.queuedMessages());
    queue.offerControl(Frame.of(Opcode.PONG, new byte[] {7}));
    wire.request(3);
    assertEquals(List.of("PONG", "a", "b"), wire.texts());
    assertEquals(0, queue.queuedMessages());
  }

  @Test
  void theSinkOverflowsAtItsLimitWhileTheTransportTakesNothing() {
    OutboundQueue queue = queue(SessionOptions.defaults().outboundQueueMessages(2));
    assertEquals(Sinks.EmitResult.OK, queue.tryEmit(Message.text("a")));
    assertEquals(Sinks.EmitResult.OK, queue.tryEmit(Message.text("b")));
    assertEquals(Sinks.EmitResult.FAIL_OVERFLOW, queue.tryEmit(Message.text("c")));
    wire.request(1);
    assertEquals(Sinks.EmitResult.OK, queue.tryEmit(Message.text("c")), "room again");
  }

  @Test
  void theCloseFrameGoesAfterQueuedMessagesAndEndsTheFlux() {
    OutboundQueue queue = queue();
    queue.tryEmit(Message.text("a"));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    queue.sendPrepared(Flux.just(prepare("p").retain())).subscribe(null, errors::add);
    close(queue, closing.closeRequested(CloseStatus.NORMAL));
    assertEquals(Sinks.EmitResult.FAIL_TERMINATED, queue.tryEmit(Message.text("late")));
    assertFalse(queue.offerControl(Frame.of(Opcode.PING, new byte[0])));

    wire.request(10);
    assertEquals(List.of("a", "p", "CLOSE 1000"), wire.texts());
    assertTrue(wire.completed);
    assertEquals(List.of(), errors, "everything was written");
  }

  @Test
  void aFailureSendsItsCloseFrameInsteadOfQueuedMessagesAndReleasesThem() {
    OutboundQueue queue = queue();
    queue.tryEmit(Message.text("a"));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    queue.sendPrepared(Flux.just(prepare("p").retain())).subscribe(null, errors::add);
    queue.offerControl(Frame.of(Opcode.PONG, new byte[0]));
    close(queue, closing.failed(CloseStatus.describing(1002, "bad frame")));

    wire.request(10);
    assertEquals(List.of("PONG", "CLOSE 1002"), wire.texts());
    assertEquals(List.of(Message.text("a")), wire.discarded);
    assertEquals(0, queue.queuedMessages());
    assertEquals(1, errors.size());
    assertEquals(1002, ((WebSocketException) errors.get(0)).code());
  }

  @Test
  void theTransportCancellingDropsEverythingAndFailsEverySend() {
    OutboundQueue queue = queue();
    queue.tryEmit(Message.text("a"));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    queue.sendPrepared(Flux.just(prepare("p").retain())).subscribe(null, errors::add);
    wire.cancel();

    assertEquals(List.of(Message.text("a")), wire.discarded);
    assertEquals(0, queue.queuedMessages());
    assertEquals(Sinks.EmitResult.FAIL_TERMINATED, queue.tryEmit(Message.text("late")));
    assertEquals(1, errors.size());
    assertEquals(1006, ((WebSocketException) errors.get(0)).code());
    StepVerifier.create(queue.send(Flux.just(Message.text("x"))))
        .expectError(WebSocketException.class).verify(WAIT);
  }

  @Test
  void theConnectionClosingDropsWhatIsQueuedEvenWithDemand() {
    OutboundQueue queue = queue();
    queue.tryEmit(Message.text("a"));
    closing.connectionClosed(false);
    queue.terminate();
    wire.request(10);
    assertEquals(List.of(), wire.texts());
    assertEquals(List.of(Message.text("a")), wire.discarded);
  }

  @Test
  void theCloseStopsEverySendStillRunningWhicheverEndedFirst() {
    OutboundQueue queue = queue();
    wire.request(Long.MAX_VALUE);
    List<Sinks.Many<Message>> sources = new ArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    AtomicInteger completed = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      Sinks.Many<Message> source = Sinks.many().unicast().onBackpressureBuffer();
      sources.add(source);
      queue.send(source.asFlux()).subscribe(null, errors::add, completed::incrementAndGet);
    }
    // The first send ends; a later one takes its place as the queue's single running send.
    sources.get(0).tryEmitNext(Message.text("a"));
    sources.get(0).tryEmitComplete();
    Sinks.Many<Message> fourth = Sinks.many().unicast().onBackpressureBuffer();
    sources.add(fourth);
    queue.send(fourth.asFlux()).subscribe(null, errors::add, completed::incrementAndGet);
    sources.get(2).tryEmitNext(Message.text("c"));
    fourth.tryEmitNext(Message.text("d"));
    assertEquals(1, completed.get());

    close(queue, closing.closeRequested(CloseStatus.NORMAL));

    assertEquals(List.of("a", "c", "d", "CLOSE 1000"), wire.texts());
    assertEquals(3, errors.size(), "every send still running ends: " + errors);
    for (Sinks.Many<Message> source : sources.subList(1, 4)) {
      assertEquals(0, source.currentSubscriberCount(), "its source is cancelled");
    }
    wire.releaseWritten();
  }

  // Races. Each round checks what must hold whichever side wins: every message taken is written
  // before the close frame or dropped, never both and never after it; the close frame is written
  // once, last; the sink's count returns to zero; every prepared reference comes back.

  @Test
  void emittingRacingTheClose() {
    for (int round = 0; round < 500; round++) {
      Wire wire = new Wire();
      CloseHandshake closing = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
      OutboundQueue queue = serverQueue(SessionOptions.defaults(), closing, wire);
      wire.request(round % 2 == 0 ? 2 : Long.MAX_VALUE); // some written at once, some queued
      List<Message> taken = new CopyOnWriteArrayList<>();
      // Emitters that keep going while the close happens, so some emit falls on it.
      Runnable emit = () -> {
        for (int i = 0; i < 64; i++) {
          Message m = Message.text(Thread.currentThread().getId() + "-" + i);
          if (queue.tryEmit(m) == Sinks.EmitResult.OK) {
            taken.add(m);
          }
        }
      };
      RaceTestUtils.race(emit, emit,
          () -> close(queue, closing.closeRequested(CloseStatus.GOING_AWAY)));
      wire.request(Long.MAX_VALUE);

      assertEndsWithOneCloseFrame(wire, "CLOSE 1001");
      assertEquals(taken.size(), wire.texts().size() - 1 + wire.discarded.size(), "round " + round);
      assertEquals(0, queue.queuedMessages());
      wire.releaseWritten();
    }
  }

  @Test
  void sendingRacingTheClose() {
    for (int round = 0; round < 1_000; round++) {
      Wire wire = new Wire();
      CloseHandshake closing = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
      OutboundQueue queue = serverQueue(SessionOptions.defaults(), closing, wire);
      wire.request(1);
      PreparedMessage p = PreparedMessage.of(Message.text("p"), PooledByteBufAllocator.DEFAULT);
      AtomicInteger ends = new AtomicInteger();
      Runnable send = () -> queue.sendPrepared(Flux.range(0, 3).map(i -> p.retain()))
          .subscribe(null, e -> ends.incrementAndGet(), ends::incrementAndGet);
      Runnable sendMessages = () -> queue.send(Flux.just(Message.text("m"), Message.text("n")))
          .subscribe(null, e -> ends.incrementAndGet(), ends::incrementAndGet);
      boolean fail = round % 2 == 0; // a failure drops the queue; a close sends it first
      RaceTestUtils.race(send, sendMessages, () -> close(queue, fail
          ? closing.failed(CloseStatus.describing(1002, "bad")) : closing.closeRequested(
              CloseStatus.NORMAL)));
      wire.request(Long.MAX_VALUE);

      assertEndsWithOneCloseFrame(wire, fail ? "CLOSE 1002" : "CLOSE 1000");
      assertEquals(2, ends.get(), "every send() ends, round " + round);
      wire.releaseWritten();
      assertEquals(1, p.refCnt(), "round " + round);
      p.release();
    }
  }

  @Test
  void emittingAndSendingRacingTheTransportCancelling() {
    for (int round = 0; round < 1_000; round++) {
      Wire wire = new Wire();
      CloseHandshake closing = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
      OutboundQueue queue = serverQueue(SessionOptions.defaults(), closing, wire);
      wire.request(1);
      PreparedMessage p = PreparedMessage.of(Message.text("p"), PooledByteBufAllocator.DEFAULT);
      AtomicInteger ends = new AtomicInteger();
      List<Message> taken = new CopyOnWriteArrayList<>();
      RaceTestUtils.race(
          () -> queue.sendPrepared(Flux.range(0, 3).map(i -> p.retain()))
              .subscribe(null, e -> ends.incrementAndGet(), ends::incrementAndGet),
          () -> {
            for (int i = 0; i < 3; i++) {
              Message m = Message.text("e" + i);
              if (queue.tryEmit(m) == Sinks.EmitResult.OK) {
                taken.add(m);
              }
            }
          },
          wire::cancel);

      assertEquals(1, ends.get(), "the send() ends, round " + round);
      assertEquals(0, queue.queuedMessages(), "round " + round);
      long emittedWritten = wire.texts().stream().filter(t -> t.startsWith("e")).count();
      long emittedDropped = wire.discarded.stream().filter(taken::contains).count();
      assertEquals(taken.size(), emittedWritten + emittedDropped, "round " + round);
      wire.releaseWritten();
      assertEquals(1, p.refCnt(), "round " + round);
      p.release();
    }
  }

  @Test
  void theCloseRacingTheConnectionEnd() {
    for (int round = 0; round < 1_000; round++) {
      Wire wire = new Wire();
      CloseHandshake closing = new CloseHandshake(Role.SERVER, Duration.ofSeconds(1));
      OutboundQueue queue = serverQueue(SessionOptions.defaults(), closing, wire);
      queue.tryEmit(Message.text("a"));
      RaceTestUtils.race(
          () -> close(queue, closing.closeRequested(CloseStatus.NORMAL)),
          () -> {
            closing.connectionClosed(false);
            queue.terminate();
          },
          () -> wire.request(Long.MAX_VALUE));

      List<String> texts = wire.texts();
      // Written in order as far as it got; what it did not write, it dropped.
      assertTrue(List.of("a", "CLOSE 1000").subList(0, texts.size()).equals(texts), "" + texts);
      assertEquals(texts.contains("a") ? 0 : 1, wire.discarded.size(), "round " + round);
      assertEquals(0, queue.queuedMessages());
      wire.releaseWritten();
    }
  }

  private static void assertEndsWithOneCloseFrame(Wire wire, String close) {
    List<String> texts = wire.texts();
    assertEquals(close, texts.get(texts.size() - 1), texts.toString());
    assertEquals(1, texts.stream().filter(t -> t.startsWith("CLOSE")).count(), texts.toString());
    assertTrue(wire.completed);
  }

  /** Stands in for the transport: keeps every buffer, and every message the queue drops. */
  private static final class Wire extends BaseSubscriber<ByteBuf> {
    final List<ByteBuf> written = new CopyOnWriteArrayList<>();
    final List<Object> discarded = new CopyOnWriteArrayList<>();
    volatile boolean completed;
    private final Context context = Operators.enableOnDiscard(Context.empty(), discarded::add);

    @Override
    public Context currentContext() {
      return context;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      // The test asks, as the network would take.
    }

    @Override
    protected void hookOnNext(ByteBuf value) {
      written.add(value);
    }

    @Override
    protected void hookOnComplete() {
      completed = true;
    }

    /** Each written frame (unmasked, short): a text message's text, or its opcode and code. */
    List<String> texts() {
      List<String> texts = new ArrayList<>();
      for (ByteBuf buf : written) {
        int opcode = buf.getByte(buf.readerIndex()) & 0x0F;
        int length = buf.getByte(buf.readerIndex() + 1) & 0x7F;
        int at = buf.readerIndex() + 2;
        if (opcode == Opcode.TEXT.code()) {
          texts.add(buf.toString(at, length, StandardCharsets.UTF_8));
        } else if (opcode == Opcode.CLOSE.code()) {
          texts.add("CLOSE " + buf.getUnsignedShort(at));
        } else {
          texts.add(Opcode.fromCode(opcode).name());
        }
      }
      return texts;
    }

    void releaseWritten() {
      written.forEach(ByteBuf::release);
      written.clear();
    }
  }
}
