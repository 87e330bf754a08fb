/**
 * A WebSocket client on Reactor Netty TCP ({@code ws://} and {@code wss://}, proxies,
 * reconnection), and a Socket.IO v4 client on top of it.
 */
module io.reactivews.client {
  requires transitive io.reactivews.core;
  requires transitive io.netty.handler;
  requires transitive reactor.netty.core;
  requires io.netty.transport;
  // Optional: read only when an application hands over a MeterRegistry.
  requires static micrometer.core;

  exports io.reactivews.client;
  exports io.reactivews.client.socketio;
}
