package io.reactivews.server;

import io.reactivews.core.message.Message;
import io.reactivews.server.cluster.ClusterBus;
import io.reactivews.server.cluster.LocalNode;
import java.util.Collection;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * Joins a server to its cluster bus: the bus reaches this node's sessions through the registry,
 * and its state changes become server events. Ends with the server; a bus the server made
 * itself ends with it too. Thread-safe.
 */
final class ClusterLink implements LocalNode, Disposable {

  private final ClusterBus bus;
  private final boolean owned;
  private final SessionRegistry registry;
  private final Disposable events;

  ClusterLink(ClusterBus bus, boolean owned, SessionRegistry registry, ServerEvents events) {
    this.bus = bus;
    this.owned = owned;
    this.registry = registry;
    bus.attach(this);
    this.events = bus.events().subscribe(e -> events.emit(new ServerEvent.Cluster(e)));
  }

  ClusterBus bus() {
    return bus;
  }

  @Override
  public Sinks.EmitResult deliver(String sessionId, Message message) {
    return registry.send(sessionId, message);
  }

  @Override
  public Collection<String> sessionIds() {
    return registry.ids();
  }

  @Override
  public boolean hasSession(String sessionId) {
    return registry.get(sessionId).isPresent();
  }

  @Override
  public void dispose() {
    events.dispose();
    if (owned) {
      bus.dispose();
    }
  }

  @Override
  public boolean isDisposed() {
    return events.isDisposed();
  }
}
