package io.reactivews.server;

import io.reactivews.core.session.WebSocketSession;
import org.reactivestreams.Publisher;

/**
 * What a route does with each session. The session closes with 1000 when the returned publisher
 * completes and with 1011 when it fails; an exception thrown here is treated the same way and
 * never reaches other sessions.
 *
 * <pre>{@code
 * WebSocketHandler echo = session -> session.send(session.receive());
 * }</pre>
 */
@FunctionalInterface
public interface WebSocketHandler {

  Publisher<Void> handle(WebSocketSession session);
}
