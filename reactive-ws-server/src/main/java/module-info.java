/**
 * A WebSocket server on Reactor Netty TCP: routes, origin and subprotocol policies, static pages,
 * a session registry, broadcast with overflow policies, TLS and graceful shutdown.
 */
module io.reactivews.server {
  requires transitive io.reactivews.core;
  requires transitive io.netty.handler;
  requires io.netty.transport;
  // Optional: read only when an application hands over a MeterRegistry.
  requires static micrometer.core;
  requires reactor.netty.core;

  exports io.reactivews.server;
}
