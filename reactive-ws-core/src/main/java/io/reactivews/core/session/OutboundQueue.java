package io.reactivews.core.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.deflate.PerMessageDeflate;
import io.reactivews.core.frame.Frame;
import io.reactivews.core.frame.FrameEncoder;
import io.reactivews.core.message.Message;
import java.util.Queue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * Everything a session sends, as one {@code Flux<ByteBuf>} that the transport subscribes to and
 * drains as fast as the network takes it.
 *
 * <p>Three inputs, in priority order: control frames (pongs and pings jump ahead of queued
 * messages), messages (from the sink, bounded, and from {@code send(Publisher)} sources, each
 * paced by what has been written), and finally the close frame, after which the flux completes.
 *
 * <p>Messages are encoded only when the transport asks for them. When nothing is queued ahead
 * of a message and the transport wants one, the message is encoded and written on the spot, so
 * the common case (an echo, a reply) costs no queue node and no entry. The one reference-counted thing
 * held here is a {@link PreparedMessage} from {@code sendPrepared}: its entry owns one reference,
 * which becomes the written buffer or is released when the entry is discarded (close, cancel,
 * termination), so a cancelled or failed session cannot leak a buffer. Thread-safe: any thread
 * may emit; the drain loop is serialized.
 */
final class OutboundQueue extends Flux<ByteBuf> implements Subscription {

  private final FrameEncoder encoder;
  private final ByteBufAllocator alloc;
  private final int maxQueuedMessages;
  private final long maxQueuedBytes;
  private final int sendPrefetch;
  /** Compresses messages when permessage-deflate was negotiated; null otherwise. */
  private final PerMessageDeflate deflate;

  // Made at the first frame, and the set at the first send(): an idle session holds none.
  private volatile Queue<Frame> control;
  private volatile Queue<Entry> data;
  private final AtomicInteger sinkMessages = new AtomicInteger();
  private final AtomicLong sinkBytes = new AtomicLong();
  private List<Sender> senders; // guarded by "this"

  private volatile Frame closeFrame;
  private volatile boolean discardData;
  private volatile boolean terminated;
  private volatile CloseStatus endStatus;
  private CoreSubscriber<? super ByteBuf> actual;

  private volatile long requested;
  private static final AtomicLongFieldUpdater<OutboundQueue> REQUESTED =
      AtomicLongFieldUpdater.newUpdater(OutboundQueue.class, "requested");
  private volatile int wip;
  private static final AtomicIntegerFieldUpdater<OutboundQueue> WIP =
      AtomicIntegerFieldUpdater.newUpdater(OutboundQueue.class, "wip");

  /**
   * A queued {@link Message} or {@link PreparedMessage} and the send() source it came from, or
   * null for the sink.
   */
  private record Entry(Object item, Sender sender) {}

  /** Told each time a message (not a control frame) goes to the transport. */
  private final Runnable onMessageWritten;

  OutboundQueue(FrameEncoder encoder, ByteBufAllocator alloc, SessionOptions options,
      Runnable onMessageWritten) {
    this(encoder, alloc, options, onMessageWritten, null);
  }

  OutboundQueue(FrameEncoder encoder, ByteBufAllocator alloc, SessionOptions options,
      Runnable onMessageWritten, PerMessageDeflate deflate) {
    this.deflate = deflate;
    this.onMessageWritten = onMessageWritten;
    this.encoder = encoder;
    this.alloc = alloc;
    this.maxQueuedMessages = options.outboundQueueMessages();
    this.maxQueuedBytes = options.outboundQueueBytes();
    this.sendPrefetch = options.sendPrefetch();
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
    return sinkMessages.get();
  }

  Sinks.EmitResult tryEmit(Message message) {
    if (closeFrame != null || terminated) {
      return Sinks.EmitResult.FAIL_TERMINATED;
    }
    // Nothing queued means nothing counted against the limits: no need to count this one.
    if (writeNow(message, null)) {
      return Sinks.EmitResult.OK;
    }
    for (; ; ) {
      int n = sinkMessages.get();
      if (n >= maxQueuedMessages) {
        return Sinks.EmitResult.FAIL_OVERFLOW;
      }
      if (sinkMessages.compareAndSet(n, n + 1)) {
        break;
      }
    }
    long size = message.size();
    long bytes = sinkBytes.addAndGet(size);
    if (bytes > maxQueuedBytes && bytes != size) {
      sinkBytes.addAndGet(-size);
      sinkMessages.decrementAndGet();
      return Sinks.EmitResult.FAIL_OVERFLOW;
    }
    data().offer(new Entry(message, null));
    drain();
    return Sinks.EmitResult.OK;
  }

  /** Queues a ping or pong ahead of messages; false once closing. */
  boolean offerControl(Frame frame) {
    if (closeFrame != null || terminated) {
      return false;
    }
    control().offer(frame);
    drain();
    return true;
  }

  /**
   * Ends the stream with {@code frame}: sources stop; queued messages go first unless {@code
   * discardQueued}. Only the first call counts.
   */
  boolean close(Frame frame, boolean discardQueued, CloseStatus status) {
    synchronized (this) {
      if (closeFrame != null || terminated) {
        return false;
      }
      endStatus = status;
      discardData = discardQueued;
      closeFrame = frame;
    }
    stopSenders();
    drain();
    return true;
  }

  /** The connection is gone: drop everything and stop every source. */
  void terminate(CloseStatus status) {
    synchronized (this) {
      if (endStatus == null) {
        endStatus = status;
      }
      terminated = true;
    }
    stopSenders();
    drain();
  }

  private void stopSenders() {
    for (Sender sender : senders()) {
      sender.stop();
    }
  }

  Mono<Void> send(Publisher<? extends Message> messages) {
    return startSender(messages, sendPrefetch);
  }

  /** One at a time: the source keeps its own queue, and its policy, until we can write. */
  Mono<Void> sendPrepared(Publisher<PreparedMessage> messages) {
    return startSender(messages, 1);
  }

  private Mono<Void> startSender(Publisher<?> messages, int prefetch) {
    return Mono.defer(() -> {
      if (closeFrame != null || terminated) {
        return Mono.error(closedError());
      }
      Sender sender = new Sender(prefetch);
      addSender(sender);
      messages.subscribe(sender);
      if (closeFrame != null || terminated) {
        sender.stop();
      }
      return sender.done();
    });
  }

  private WebSocketException closedError() {
    CloseStatus status = endStatus != null ? endStatus : CloseStatus.NORMAL;
    return new WebSocketException(status, "the session is closing; the message was not sent");
  }

  @Override
  public void request(long n) {
    if (Operators.validate(n)) {
      Operators.addCap(REQUESTED, this, n);
      drain();
    }
  }

  @Override
  public void cancel() {
    terminate(CloseStatus.ABNORMAL_CLOSURE);
  }

  /**
   * Writes {@code item} straight away if the drain loop is free, nothing is queued ahead, the
   * transport wants a buffer and no close has begun; false, having done nothing, otherwise.
   */
  private boolean writeNow(Object item, Sender sender) {
    if (wip != 0 || !WIP.compareAndSet(this, 0, 1)) {
      return false;
    }
    boolean written = false;
    long r = requested;
    if (r != 0 && closeFrame == null && !terminated && isEmpty(control) && isEmpty(data)) {
      if (sender != null) {
        sender.written();
      }
      actual.onNext(encode(item));
      onMessageWritten.run();
      if (r != Long.MAX_VALUE) {
        REQUESTED.decrementAndGet(this);
      }
      written = true;
    }
    int missed = WIP.decrementAndGet(this);
    if (missed != 0) {
      drainLoop(missed);
    }
    return written;
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
      // Even once terminated, keep the loop's accounting: an entry offered late by a racing
      // sender must still find a drain that releases it.
      if (terminated) {
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
      if (terminated) {
        discardAll();
        break;
      }
      if (e == r) {
        break;
      }
      Frame frame = poll(control);
      if (frame != null) {
        actual.onNext(encoder.encode(alloc, frame));
        e++;
        continue;
      }
      Frame end = closeFrame;
      if (end != null && discardData) {
        discardQueued();
      }
      Entry entry = poll(data);
      if (entry != null) {
        written(entry);
        actual.onNext(encode(entry.item));
        onMessageWritten.run();
        e++;
        continue;
      }
      if (end != null) {
        actual.onNext(encoder.encode(alloc, end));
        terminated = true;
        actual.onComplete();
        discardAll();
        break;
      }
      break;
    }
    if (e != 0 && r != Long.MAX_VALUE) {
      REQUESTED.addAndGet(this, -e);
    }
  }

  /** The buffer to write for a queued item; a prepared message's reference goes with it. */
  private ByteBuf encode(Object item) {
    if (item instanceof PreparedMessage prepared) {
      return deflate == null ? prepared.writeWith(encoder, alloc)
          : prepared.writeWith(encoder, alloc, deflate);
    }
    return deflate == null ? ((Message) item).encode(alloc, encoder)
        : deflate.encode((Message) item, encoder, alloc);
  }

  private void discard(Object item) {
    if (item instanceof PreparedMessage prepared) {
      prepared.release();
    } else {
      Operators.onDiscard(item, currentContext());
    }
  }

  private void written(Entry entry) {
    if (entry.sender == null) {
      sinkMessages.decrementAndGet();
      sinkBytes.addAndGet(-((Message) entry.item).size());
    } else {
      entry.sender.written();
    }
  }

  private void discardQueued() {
    Entry entry;
    while ((entry = poll(data)) != null) {
      written(entry);
      discard(entry.item);
    }
  }

  private void discardAll() {
    Queue<Frame> frames = control;
    if (frames != null) {
      frames.clear();
    }
    discardQueued();
  }

  private reactor.util.context.Context currentContext() {
    return actual != null ? actual.currentContext() : reactor.util.context.Context.empty();
  }

  private Queue<Frame> control() {
    Queue<Frame> q = control;
    if (q == null) {
      CONTROL.compareAndSet(this, null, new ConcurrentLinkedQueue<Frame>());
      q = control;
    }
    return q;
  }

  private Queue<Entry> data() {
    Queue<Entry> q = data;
    if (q == null) {
      DATA.compareAndSet(this, null, new ConcurrentLinkedQueue<Entry>());
      q = data;
    }
    return q;
  }

  private static boolean isEmpty(Queue<?> queue) {
    return queue == null || queue.isEmpty();
  }

  private static <T> T poll(Queue<T> queue) {
    return queue == null ? null : queue.poll();
  }

  private synchronized void addSender(Sender sender) {
    if (senders == null) {
      senders = new ArrayList<>(2);
    }
    senders.add(sender);
  }

  private synchronized void removeSender(Sender sender) {
    if (senders != null) {
      senders.remove(sender);
    }
  }

  private synchronized List<Sender> senders() {
    return senders == null ? List.of() : List.copyOf(senders);
  }

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<OutboundQueue, Queue> CONTROL =
      AtomicReferenceFieldUpdater.newUpdater(OutboundQueue.class, Queue.class, "control");
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<OutboundQueue, Queue> DATA =
      AtomicReferenceFieldUpdater.newUpdater(OutboundQueue.class, Queue.class, "data");

  /**
   * One send() source: asks for prefetch messages, then for more in batches of three quarters of
   * prefetch as they are written, so the source is asked far less often than once per message
   * and never holds more than prefetch unwritten.
   */
  private final class Sender extends BaseSubscriber<Object> {
    // The send() caller's subscriber and how the source ended; guarded by "this". A sink here
    // would cost a few objects per send() for the whole life of a long send.
    private CoreSubscriber<? super Void> caller;
    private boolean ended;
    private Throwable endError;
    private final int prefetch;
    private final int batch;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean sourceDone;
    /** Written since the last request; touched only by the drain loop. */
    private int consumed;

    Sender(int prefetch) {
      this.prefetch = prefetch;
      this.batch = Math.max(1, prefetch - (prefetch >> 2));
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      subscription.request(prefetch);
    }

    @Override
    protected void hookOnNext(Object message) {
      if (closeFrame != null || terminated) {
        discard(message);
        return;
      }
      outstanding.incrementAndGet();
      if (!writeNow(message, this)) {
        data().offer(new Entry(message, this));
        drain();
      }
    }

    @Override
    protected void hookOnComplete() {
      sourceDone = true;
      finishIfFlushed();
    }

    @Override
    protected void hookOnError(Throwable error) {
      removeSender(this);
      finish(error);
    }

    void written() {
      if (outstanding.decrementAndGet() == 0 && sourceDone) {
        finishIfFlushed();
      } else if (!sourceDone && ++consumed == batch) {
        consumed = 0;
        request(batch);
      }
    }

    private void finishIfFlushed() {
      if (outstanding.get() == 0) {
        removeSender(this);
        if (terminated || (closeFrame != null && discardData)) {
          finish(closedError());
        } else {
          finish(null);
        }
      }
    }

    /** Completes when the source is done and written; cancelling it cancels the source. */
    Mono<Void> done() {
      return new Mono<>() {
        @Override
        public void subscribe(CoreSubscriber<? super Void> actual) {
          actual.onSubscribe(cancelling());
          boolean alreadyEnded;
          Throwable error;
          synchronized (Sender.this) {
            caller = actual;
            alreadyEnded = ended;
            error = endError;
          }
          if (alreadyEnded) {
            tell(actual, error);
          }
        }
      };
    }

    /** What the caller holds: cancelling stops this source (and it holds nothing else). */
    private Subscription cancelling() {
      return new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {
          synchronized (Sender.this) {
            caller = null;
          }
          dispose();
        }
      };
    }

    /** Ends the send() once: null for success. */
    private void finish(Throwable error) {
      CoreSubscriber<? super Void> target;
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        endError = error;
        target = caller;
      }
      if (target != null) {
        tell(target, error);
      }
    }

    private static void tell(CoreSubscriber<? super Void> target, Throwable error) {
      if (error != null) {
        target.onError(error);
      } else {
        target.onComplete();
      }
    }

    /** The session is closing: take nothing more; fail unless everything was written. */
    void stop() {
      if (!sourceDone) {
        dispose();
        removeSender(this);
        finish(closedError());
      }
    }
  }
}
