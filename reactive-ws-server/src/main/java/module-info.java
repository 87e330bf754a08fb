/**
 * A WebSocket server on Reactor Netty TCP: routes, origin and subprotocol policies, static pages,
 * a session registry, broadcast with overflow policies, TLS and graceful shutdown.
 */
module io.reactivews.server {
  requires transitive io.reactivews.core;
  requires transitive io.netty.handler;
  requires io.netty.transport;
  requires reactor.netty.core;

  exports io.reactivews.server;
}
