package io.reactivews.server;

import io.reactivews.core.session.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One session's subscription to a {@link Broadcast}: its counters, its end, and the way to leave.
 * It ends when the session closes, when it is disposed, when its overflow policy disconnects the
 * session, or when the broadcast's source ends (after what was queued has been handed over).
 *
 * <p>Nothing is lost silently: every message offered to it is counted once as delivered (handed
 * to the session), dropped (by the overflow policy), unsent (still queued when it ended) or still
 * queued; see {@link Stats}. Thread-safe.
 *
 * <pre>{@code
 * BroadcastSubscription sub = scores.subscribe(session, OverflowPolicy.latest());
 * log.info("{} dropped {}", session.id(), sub.stats().dropped());
 * }</pre>
 */
public final class BroadcastSubscription implements Disposable {

  /**
   * A snapshot of the counters. Messages and bytes queued are this subscription's own queue;
   * the peaks are the most it ever held, which the policy bounds.
   */
  public record Stats(
      long offered,
      long delivered,
      long dropped,
      long unsent,
      int queuedMessages,
      long queuedBytes,
      int peakQueuedMessages,
      long peakQueuedBytes,
      boolean disconnected) {}

  private final Lane lane;

  BroadcastSubscription(Lane lane) {
    this.lane = lane;
  }

  public WebSocketSession session() {
    return lane.session();
  }

  public OverflowPolicy policy() {
    return lane.policy();
  }

  public Stats stats() {
    return lane.stats();
  }

  /**
   * Completes when the subscription ends; errors with the source's error when the source failed
   * while this subscription was still running. A handler may return it, so the session closes
   * with 1000 when the source completes and with 1011 when it fails. Cancelling it does not end
   * the subscription: {@link #dispose()} does.
   */
  public Mono<Void> onEnd() {
    return lane.ended().asMono();
  }

  /** Leaves the broadcast: queued messages are released unsent, the session stays open. */
  @Override
  public void dispose() {
    lane.dispose();
  }

  @Override
  public boolean isDisposed() {
    return lane.isFinished();
  }

  @Override
  public String toString() {
    return "BroadcastSubscription[" + lane.session().id() + " " + lane.policy() + " "
        + stats() + "]";
  }
}
