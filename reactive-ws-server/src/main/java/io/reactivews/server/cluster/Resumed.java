package io.reactivews.server.cluster;

import io.reactivews.core.message.Message;
import io.reactivews.core.session.WebSocketSession;
import io.reactivews.server.Broadcast;
import io.reactivews.server.BroadcastSubscription;
import io.reactivews.server.OverflowPolicy;
import java.util.function.Function;
import reactor.core.publisher.Sinks;

/**
 * One session's catch-up on a topic: {@link ClusterBus#resume} fanned out to that session alone,
 * with an overflow policy like any viewer's. The resume starts only once the session is in its
 * broadcast, since a broadcast drops what it is given while nobody is subscribed; it ends with
 * the session.
 *
 * <pre>{@code
 * String since = session.handshake().queryParameter("since");
 * return Resumed.subscribe(bus, "scores", since, TopicMessage::message, session,
 *     OverflowPolicy.dropOldest(256)).onEnd();
 * }</pre>
 */
public final class Resumed {

  private Resumed() {}

  /** Sends {@code session} the messages of {@code topic} after {@code offset}, then live ones. */
  public static BroadcastSubscription subscribe(ClusterBus bus, String topic, String offset,
      Function<TopicMessage, Message> render, WebSocketSession session, OverflowPolicy policy) {
    Sinks.Empty<Void> joined = Sinks.empty();
    Broadcast own = Broadcast.of(joined.asMono().thenMany(bus.resume(topic, offset)).map(render));
    BroadcastSubscription subscription = own.subscribe(session, policy);
    subscription.onEnd().doFinally(s -> own.dispose()).subscribe(null, e -> { });
    joined.tryEmitEmpty();
    return subscription;
  }
}
