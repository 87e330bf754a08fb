package io.reactivews.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.reactivews.core.message.Message;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.metrics.BroadcastMeters;
import java.util.Objects;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One source of messages fanned out to many sessions, each at its own pace: a slow session never
 * stalls the others and never holds more than its {@link OverflowPolicy} allows. The source is
 * consumed as fast as it emits (it is never backpressured by a subscriber), so it should be hot:
 * match events, a scoreboard, a ticker.
 *
 * <p><b>Encode once.</b> A server frame is unmasked, so each message is encoded once into one
 * network buffer ({@link PreparedMessage}) and every server session writes a duplicate of it;
 * client sessions, which must mask, encode their own copy. A message published while nobody is
 * subscribed is not encoded at all.
 *
 * <p>Sessions join and leave at any time: a subscription ends when its session closes. Counters
 * are kept per subscription ({@link BroadcastSubscription#stats()}) and in total ({@link
 * #stats()}).
 *
 * <p>A message whose frame cannot be made (the allocator is out of direct memory) is sent to
 * nobody, counted as {@link Stats#unencoded() unencoded} and logged; the broadcast and every
 * session go on with the next message. Nothing is thrown at the source's emitter.
 *
 * <pre>{@code
 * Broadcast scoreboard = Broadcast.of(scores);                 // subscribes to scores now
 * WebSocketServer.create()
 *     .route("/score", session ->
 *         scoreboard.subscribe(session, OverflowPolicy.latest()).onEnd())
 *     .route("/events", session ->
 *         matchEvents.subscribe(session,
 *             OverflowPolicy.disconnect(CloseStatus.TRY_AGAIN_LATER)).onEnd())
 *     .bindNow();
 * }</pre>
 *
 * <p>Thread-safe. Sessions that run on an event loop are fanned out on it: the source's thread
 * queues each message once per event loop and wakes it once per burst, and the loop offers the
 * burst to each of its sessions ({@link LoopFanOut}), so no session costs a hand-over between
 * threads. Other sessions (in memory, test doubles) are offered each message on the thread that
 * emits from the source.
 */
public final class Broadcast implements Disposable {

  /**
   * A snapshot of the totals over all subscriptions, past and present.
   *
   * @param published messages the source emitted
   * @param encoded messages encoded into a frame, once each whoever they went to
   * @param unencoded messages sent to nobody because their frame could not be made
   * @param delivered messages handed to a subscriber's session, once per subscriber
   * @param dropped messages an overflow policy dropped
   * @param unsent messages still queued for a subscriber when its subscription ended
   * @param disconnected slow subscribers the disconnect policy closed
   * @param subscribers subscriptions open now
   */
  public record Stats(
      long published,
      long encoded,
      long unencoded,
      long delivered,
      long dropped,
      long unsent,
      long disconnected,
      int subscribers) {}

  /** Counters shared by the lanes. */
  static final class Totals {
    final LongAdder published = new LongAdder();
    final LongAdder encoded = new LongAdder();
    final LongAdder unencoded = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder unsent = new LongAdder();
    final LongAdder disconnected = new LongAdder();
  }

  private static final Logger LOG = Loggers.getLogger(Broadcast.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ByteBufAllocator alloc;
  private final Set<Lane> lanes = ConcurrentHashMap.newKeySet();
  /** The lanes of sessions with no event loop, offered on the source's thread. */
  private final Set<Lane> inline = ConcurrentHashMap.newKeySet();
  /** The other lanes, by the event loop their session runs on; a loop's entry stays. */
  private final Map<Executor, LoopFanOut> loops = new ConcurrentHashMap<>();
  /** How many messages the source emitted: the number of the last one. Source thread writes. */
  private volatile long sequence;
  private final Totals totals = new Totals();
  private final Source source = new Source();
  private volatile boolean disposed;
  private volatile boolean sourceEnded;
  private volatile Throwable sourceError;
  /** When a failed encoding was last logged; 0 before the first. Source thread only. */
  private long warned;

  private Broadcast(ByteBufAllocator alloc) {
    this.alloc = alloc;
  }

  /** A broadcast of {@code source}, encoding into {@link ByteBufAllocator#DEFAULT}. */
  public static Broadcast of(Publisher<? extends Message> source) {
    return of(source, ByteBufAllocator.DEFAULT);
  }

  /** A broadcast of {@code source}, subscribed to now, encoding into buffers of {@code alloc}. */
  public static Broadcast of(Publisher<? extends Message> source, ByteBufAllocator alloc) {
    Objects.requireNonNull(source, "source");
    Broadcast broadcast = new Broadcast(Objects.requireNonNull(alloc, "alloc"));
    source.subscribe(broadcast.source);
    return broadcast;
  }

  /**
   * Sends every message published from now on to {@code session}, applying {@code policy} when it
   * falls behind, until the session closes, the subscription is disposed, or the source ends.
   */
  public BroadcastSubscription subscribe(WebSocketSession session, OverflowPolicy policy) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(policy, "policy");
    Executor executor = Sessions.executorOf(session);
    LoopFanOut loop = executor == null ? null
        : loops.computeIfAbsent(executor, LoopFanOut::new);
    Lane lane = new Lane(session, policy, totals, finished -> leave(finished, loop),
        sequence + 1);
    lanes.add(lane);
    if (loop == null) {
      inline.add(lane);
    } else {
      loop.join(lane);
    }
    // An error means the session closed, before or after it started taking messages.
    Sessions.sendPrepared(session, lane).subscribe(null, e -> lane.cancel());
    if (disposed) {
      lane.dispose();
    } else if (sourceEnded) {
      lane.complete(sourceError);
    }
    return new BroadcastSubscription(lane);
  }

  private void leave(Lane lane, LoopFanOut loop) {
    lanes.remove(lane);
    if (loop == null) {
      inline.remove(lane);
    } else {
      loop.left();
    }
  }

  public Stats stats() {
    return new Stats(totals.published.sum(), totals.encoded.sum(), totals.unencoded.sum(),
        totals.delivered.sum(), totals.dropped.sum(), totals.unsent.sum(),
        totals.disconnected.sum(), lanes.size());
  }

  /**
   * Records this broadcast's totals in {@code registry} as {@code reactivews.broadcast.*} meters
   * tagged {@code broadcast=name}: published, unencoded, delivered, dropped by the overflow
   * policy, unsent, disconnected slow subscribers, and subscribers now. The meters read the
   * counters the broadcast keeps anyway: the fan-out does nothing more. Micrometer is needed only
   * for this.
   *
   * <pre>{@code
   * Broadcast scoreboard = Broadcast.of(scores).metrics(registry, "scoreboard");
   * }</pre>
   *
   * @return this broadcast
   */
  public Broadcast metrics(MeterRegistry registry, String name) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(name, "name");
    BroadcastMeters.register(registry, name, this::stats);
    return this;
  }

  /** Stops consuming the source and ends every subscription now, releasing their queues. */
  @Override
  public void dispose() {
    disposed = true;
    source.dispose();
    for (Lane lane : lanes) {
      lane.dispose();
    }
  }

  @Override
  public boolean isDisposed() {
    return disposed;
  }

  private void publish(Message message) {
    totals.published.increment();
    long number = sequence + 1;
    sequence = number;
    if (lanes.isEmpty()) {
      return;
    }
    PreparedMessage prepared;
    try {
      prepared = PreparedMessage.of(message, alloc);
    } catch (RuntimeException | OutOfMemoryError e) {
      // Direct memory runs out under load and comes back: skip this one, keep the broadcast.
      totals.unencoded.increment();
      warnUnencoded(e);
      return;
    }
    totals.encoded.increment();
    try {
      for (Lane lane : inline) {
        lane.offer(prepared);
      }
      for (LoopFanOut loop : loops.values()) {
        loop.publish(number, prepared);
      }
    } finally {
      prepared.release();
    }
  }

  /** Logs a failed encoding, at most once per {@link #WARN_EVERY_NANOS} while they go on. */
  private void warnUnencoded(Throwable e) {
    long now = System.nanoTime();
    if (warned == 0 || now - warned >= WARN_EVERY_NANOS) {
      warned = now == 0 ? 1 : now;
      LOG.warn("broadcast message not sent to anybody, its frame could not be made ("
          + totals.unencoded.sum() + " so far)", e);
    }
  }

  private void end(Throwable error) {
    sourceError = error;
    sourceEnded = true;
    for (Lane lane : inline) {
      lane.complete(error);
    }
    for (LoopFanOut loop : loops.values()) {
      loop.end(error);
    }
  }

  /** Takes everything the source emits, as fast as it emits. */
  private final class Source extends BaseSubscriber<Message> {

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    protected void hookOnNext(Message message) {
      publish(message);
    }

    @Override
    protected void hookOnComplete() {
      end(null);
    }

    @Override
    protected void hookOnError(Throwable error) {
      end(error);
    }
  }
}
