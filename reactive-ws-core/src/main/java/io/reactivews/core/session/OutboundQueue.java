package io.reactivews.core.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.ClosePayload;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.frame.Opcode;
import io.reactivews.core.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

/**
 * Everything a session sends, as one {@code Flux<ByteBuf>} that the transport subscribes to and
 * drains as fast as the network takes it.
 *
 * <p>Three inputs, in priority order: control frames (pongs and pings jump ahead of queued
 * messages), messages (from the sink, bounded by a {@link SinkBudget}, and from {@code
 * send(Publisher)} sources, each a {@link Sender} paced by what has been written), and finally
 * the close frame, after which the flux completes. When the close frame goes, and what it says,
 * is the {@link CloseHandshake}'s to decide: this queue asks it, and mirrors only whether
 * messages are still taken.
 *
 * <pre>
 * pings, pongs ----------> urgent lane   -+
 * tryEmit ---> budget ---> messages lane -+--> drain --> encode --> transport
 * send() ----> Sender ---> messages lane -+      \--> close frame, then complete
 * </pre>
 *
 * <p>Messages are encoded only when the transport asks for them. When nothing is queued ahead
 * of a message (or a ping or pong) and the transport wants one, it is encoded and written on the
 * spot, so the common case (an echo, a reply, a keepalive ping) costs no queue node and no entry.
 * Queued entries are {@link Outgoing}s; a prepared message's entry owns one reference, which
 * becomes the written buffer or is released when the entry is discarded (close, cancel, end), so
 * a cancelled or failed session cannot leak a buffer. Thread-safe: any thread may emit; the drain
 * loop is serialized.
 */
final class OutboundQueue extends Flux<ByteBuf> implements Subscription, Sender.Outlet {

  private final FrameEncoder encoder;
  private final ByteBufAllocator alloc;
  /** The sink's limits, made on the first message it has to count: most sessions never do. */
  private volatile SinkBudget budget;
  private static final AtomicReferenceFieldUpdater<OutboundQueue, SinkBudget> BUDGET =
      AtomicReferenceFieldUpdater.newUpdater(OutboundQueue.class, SinkBudget.class, "budget");
  private final SessionOptions options;
  /** Made when something first has to wait: a session written on the spot never makes them. */
  private volatile PriorityLanes lanes;
  private static final AtomicReferenceFieldUpdater<OutboundQueue, PriorityLanes> LANES =
      AtomicReferenceFieldUpdater.newUpdater(OutboundQueue.class, PriorityLanes.class, "lanes");
  // The running send()s, guarded by "this". Most sessions have one at most: it takes a field,
  // and only a second one at the same time makes a list.
  private Sender<?> firstSender;
  private List<Sender<?>> moreSenders;
  /** Compresses messages when permessage-deflate was negotiated; null otherwise. */
  private final PerMessageDeflate deflate;

  /** Decides when the close frame goes and what it says. */
  private final CloseHandshake closing;
  /** The flux has ended: completed after the close frame, cancelled, or the connection gone. */
  private volatile boolean done;
  /**
   * No close frame was sent: the handshake's "open", lowered by {@link #closeBegun()}. A
   * broadcast asks once per message for each of thousands of sessions, and the handshake would
   * be one more object out of cache each time. It may trail the handshake for a moment, never
   * the close frame: that goes from the drain loop, which reads the handshake itself.
   */
  private volatile boolean taking = true;
  private CoreSubscriber<? super ByteBuf> actual;

  private volatile long requested;
  private static final AtomicLongFieldUpdater<OutboundQueue> REQUESTED =
      AtomicLongFieldUpdater.newUpdater(OutboundQueue.class, "requested");
  private volatile int wip;
  private static final AtomicIntegerFieldUpdater<OutboundQueue> WIP =
      AtomicIntegerFieldUpdater.newUpdater(OutboundQueue.class, "wip");

  /** The size {@link #writeNow} is given for a control frame, which is not counted. */
  private static final int CONTROL = -1;

  /** Told each time a message (not a control frame) goes to the transport, with its size. */
  private final IntConsumer onMessageWritten;
  /**
   * Told when a frame could not be made (no memory for its buffer, a compressor released by a
   * close racing the write): that frame is dropped, and the session must fail, since the peer
   * would otherwise miss a message without knowing, or inflate against a window that never got it.
   */
  private final Consumer<Throwable> onEncodeFailed;

  OutboundQueue(FrameEncoder encoder, ByteBufAllocator alloc, SessionOptions options,
      CloseHandshake closing, IntConsumer onMessageWritten, Consumer<Throwable> onEncodeFailed,
      PerMessageDeflate deflate) {
    this.closing = closing;
    this.deflate = deflate;
    this.onMessageWritten = onMessageWritten;
    this.onEncodeFailed = onEncodeFailed;
    this.encoder = encoder;
    this.alloc = alloc;
    this.options = options;
  }

  @Override
  public void subscribe(CoreSubscriber<? super ByteBuf> subscriber) {
    if (actual != null) {
      Operators.error(subscriber, new IllegalStateException("the outbound flux has a subscriber"));
      return;
    }
    actual = subscriber;
    subscriber.onSubscribe(this);
  }

  /** Messages queued by the sink and not yet written. */
  int queuedMessages() {
    SinkBudget b = budget;
    return b == null ? 0 : b.messages();
  }

  /** Payload bytes of {@link #queuedMessages()}. */
  long queuedBytes() {
    SinkBudget b = budget;
    return b == null ? 0 : b.bytes();
  }

  private SinkBudget budget() {
    SinkBudget b = budget;
    if (b == null) {
      b = new SinkBudget(options.outboundQueueMessages(), options.outboundQueueBytes());
      if (!BUDGET.compareAndSet(this, null, b)) {
        b = budget;
      }
    }
    return b;
  }

  /** Whether a queue was ever made: what a session written on the spot does without. */
  boolean madeQueue() {
    PriorityLanes l = lanes;
    return l != null && l.madeAny();
  }

  /** The lanes, made now if this is the first time anything waits. */
  private PriorityLanes lanes() {
    PriorityLanes l = lanes;
    if (l == null) {
      LANES.compareAndSet(this, null, new PriorityLanes());
      l = lanes;
    }
    return l;
  }

  private boolean nothingQueued() {
    PriorityLanes l = lanes;
    return l == null || l.isEmpty();
  }

  Sinks.EmitResult tryEmit(Message message) {
    if (!accepts()) {
      return Sinks.EmitResult.FAIL_TERMINATED;
    }
    // Nothing queued means nothing counted against the limits: no need to count this one.
    if (enterWriteNow()) {
      // Not written means the session is failing: it takes nothing more.
      return writeNow(message, message.size())
          ? Sinks.EmitResult.OK : Sinks.EmitResult.FAIL_TERMINATED;
    }
    SinkBudget b = budget();
    if (!b.tryAcquire(message.size())) {
      return Sinks.EmitResult.FAIL_OVERFLOW;
    }
    lanes().offer(new Outgoing.Emitted(message, b));
    drain();
    return Sinks.EmitResult.OK;
  }

  /**
   * Sends a ping or pong ahead of queued messages; false once closing. With nothing queued it is
   * written on the spot, as a message would be: a keepalive ping then makes no queue, which an
   * idle connection would otherwise keep for the rest of its life.
   */
  boolean offerControl(Frame frame) {
    if (!accepts()) {
      return false;
    }
    if (enterWriteNow()) {
      return writeNow(frame, CONTROL);
    }
    lanes().offer(new Outgoing.Control(frame));
    drain();
    return true;
  }

  /**
   * The close handshake sent its close frame: sources stop, and the frame goes after the queued
   * messages (or instead of them, if the handshake discards them).
   */
  void closeBegun() {
    taking = false;
    stopSenders();
    drain();
  }

  /** The connection is gone: drop everything and stop every source. */
  void terminate() {
    done = true;
    stopSenders();
    drain();
  }

  Mono<Void> send(Publisher<? extends Message> messages) {
    return Mono.defer(() -> start(messages, Sender.ofMessages(this, options.sendPrefetch())));
  }

  Mono<Void> sendPrepared(Publisher<PreparedMessage> messages) {
    return Mono.defer(() -> start(messages, Sender.ofPrepared(this)));
  }

  private <T> Mono<Void> start(Publisher<? extends T> messages, Sender<T> sender) {
    if (!accepts()) {
      return Mono.error(closedError());
    }
    addSender(sender);
    try {
      messages.subscribe(sender);
    } catch (Throwable t) {
      sender.sourceThrew(t); // a JVM error from the application's source, as it subscribed
    }
    if (!accepts()) {
      sender.stop(); // the close began while it subscribed, and may have missed it
    }
    return sender.done();
  }

  // Sender.Outlet: what the senders see of this queue.

  @Override
  public boolean accepts() {
    return taking && !done;
  }

  @Override
  public void write(Message message, Sender<?> from) {
    if (enterWriteNow()) {
      from.written();
      writeNow(message, message.size()); // if it fails, so does the session, stopping the sender
    } else {
      lanes().offer(new Outgoing.Sent(message, from));
      drain();
    }
  }

  @Override
  public void write(PreparedMessage message, Sender<?> from) {
    if (enterWriteNow()) {
      from.written();
      writeNow(message, message.size()); // the size first: its reference goes with the buffer
    } else {
      lanes().offer(new Outgoing.SentPrepared(message, from));
      drain();
    }
  }

  @Override
  public boolean droppedUnwritten() {
    return done || (!closing.isOpen() && closing.discardsQueued());
  }

  @Override
  public WebSocketException closedError() {
    CloseStatus ending = closing.ending();
    // Nothing decided yet: the transport cancelled, so the connection is breaking.
    CloseStatus status = ending != null ? ending : CloseStatus.ABNORMAL_CLOSURE;
    return new WebSocketException(status, "the session is closing; the message was not sent");
  }

  @Override
  public synchronized void remove(Sender<?> ended) {
    if (firstSender == ended) {
      firstSender = null;
    } else if (moreSenders != null) {
      moreSenders.remove(ended);
    }
  }

  // Subscription: the transport's demand.

  @Override
  public void request(long n) {
    if (Operators.validate(n)) {
      Operators.addCap(REQUESTED, this, n);
      drain();
    }
  }

  @Override
  public void cancel() {
    terminate();
  }

  /**
   * Takes the drain loop to write one message straight away, if the loop is free, nothing is
   * queued ahead, the transport wants a buffer and no close has begun; false, having done
   * nothing, otherwise. When true, the caller writes its one buffer and calls {@link
   * #leaveWriteNow}.
   */
  private boolean enterWriteNow() {
    if (wip != 0 || !WIP.compareAndSet(this, 0, 1)) {
      return false;
    }
    if (requested != 0 && accepts() && nothingQueued()) {
      return true;
    }
    leaveWriteNow(false);
    return false;
  }

  /**
   * Writes a message, prepared message or control frame on the spot, with the loop taken by
   * {@link #enterWriteNow}, and leaves the loop; {@code size} is the message's, or {@link
   * #CONTROL}. False when its frame could not be made: then the session is told first, while the
   * loop is still held, so nothing queued behind goes out before the session knows it is
   * failing; the loop is left as if nothing was written, so what is queued still finds a drain.
   */
  private boolean writeNow(Object item, int size) {
    ByteBuf frame;
    try {
      frame = item instanceof Message message ? encode(message)
          : item instanceof PreparedMessage prepared ? encode(prepared)
          : encoder.encode(alloc, (Frame) item);
    } catch (RuntimeException | OutOfMemoryError e) {
      onEncodeFailed.accept(e);
      leaveWriteNow(false);
      return false;
    }
    actual.onNext(frame);
    if (size != CONTROL) {
      onMessageWritten.accept(size);
    }
    leaveWriteNow(true);
    return true;
  }

  private void leaveWriteNow(boolean wrote) {
    if (wrote) {
      if (requested != Long.MAX_VALUE) {
        REQUESTED.decrementAndGet(this);
      }
    }
    int missed = WIP.decrementAndGet(this);
    if (missed != 0) {
      drainLoop(missed);
    }
  }

  private void drain() {
    if (WIP.getAndIncrement(this) != 0) {
      return;
    }
    drainLoop(1);
  }

  private void drainLoop(int missedBefore) {
    int missed = missedBefore;
    for (; ; ) {
      // Even once done, keep the loop's accounting: an entry offered late by a racing sender
      // must still find a drain that releases it.
      if (done) {
        discardAll();
      } else {
        emit();
      }
      missed = WIP.addAndGet(this, -missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Writes what demand allows; serialized by {@link #drain()}. */
  private void emit() {
    long r = requested;
    long e = 0;
    for (; ; ) {
      CloseHandshake.State state = closing.state();
      if (done || state == CloseHandshake.State.CLOSED) {
        discardAll();
        break;
      }
      if (e == r) {
        break;
      }
      boolean closeSent = state != CloseHandshake.State.OPEN;
      PriorityLanes l = lanes;
      Outgoing next = l == null ? null
          : closeSent && closing.discardsQueued() ? l.pollUrgent() : l.poll();
      if (next != null) {
        next.settle();
        ByteBuf frame;
        try {
          frame = next.encode(encoder, alloc, deflate);
        } catch (RuntimeException | OutOfMemoryError failure) {
          next.encodeFailed(actual.currentContext());
          // Fails the session: its close frame goes next, ahead of what is still queued.
          onEncodeFailed.accept(failure);
          continue;
        }
        actual.onNext(frame);
        if (!next.urgent()) {
          onMessageWritten.accept(next.size());
        }
        e++;
        continue;
      }
      if (closeSent) {
        // What is queued was written, or is dropped now: a failure sends its close frame first.
        Frame end = Frame.of(Opcode.CLOSE, ClosePayload.of(closing.sent()));
        ByteBuf frame;
        try {
          frame = encoder.encode(alloc, end);
        } catch (RuntimeException | OutOfMemoryError failure) {
          // Not even the close frame can be made: the transport drops the connection instead.
          done = true;
          actual.onError(failure);
          discardAll();
          break;
        }
        actual.onNext(frame);
        done = true;
        actual.onComplete();
        discardAll();
      }
      break;
    }
    if (e != 0 && r != Long.MAX_VALUE) {
      REQUESTED.addAndGet(this, -e);
    }
  }

  /** The frame of a message, compressed when permessage-deflate was negotiated. */
  private ByteBuf encode(Message message) {
    return Outgoing.frameOf(message, encoder, alloc, deflate);
  }

  /** A prepared message's frame; its reference goes with the buffer. */
  private ByteBuf encode(PreparedMessage prepared) {
    return Outgoing.frameOf(prepared, encoder, alloc, deflate);
  }

  private void discardAll() {
    Context context = actual != null ? actual.currentContext() : Context.empty();
    PriorityLanes l = lanes;
    if (l == null) {
      return;
    }
    Outgoing entry;
    while ((entry = l.poll()) != null) {
      entry.settle();
      entry.discard(context);
    }
  }

  private synchronized void addSender(Sender<?> added) {
    if (firstSender == null) {
      firstSender = added;
    } else {
      if (moreSenders == null) {
        moreSenders = new ArrayList<>(2);
      }
      moreSenders.add(added);
    }
  }

  private void stopSenders() {
    List<Sender<?>> all = new ArrayList<>(2);
    synchronized (this) {
      if (firstSender != null) {
        all.add(firstSender);
      }
      if (moreSenders != null) {
        all.addAll(moreSenders);
      }
    }
    for (Sender<?> running : all) {
      running.stop();
    }
  }
}
