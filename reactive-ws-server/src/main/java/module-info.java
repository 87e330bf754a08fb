/**
 * A WebSocket server on Reactor Netty TCP: routes, origin and subprotocol policies, static pages,
 * a session registry, broadcast with overflow policies, TLS and graceful shutdown; and a cluster
 * bus that carries topics, send-to-id and presence between nodes (in-process by default, Redis
 * through Lettuce when the application has it).
 */
module io.reactivews.server {
  requires transitive io.reactivews.core;
  requires transitive io.netty.handler;
  requires io.netty.transport;
  // Optional: read only when an application hands over a MeterRegistry.
  requires static micrometer.core;
  requires reactor.netty.core;
  // Optional: only io.reactivews.server.cluster.redis touches it.
  requires static lettuce.core;

  exports io.reactivews.server;
  exports io.reactivews.server.cluster;
  exports io.reactivews.server.cluster.redis;
}
