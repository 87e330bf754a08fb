/**
 * The WebSocket client (RFC 6455 section 4.1 and on): {@link io.reactivews.client.WebSocketClient}
 * opens sessions over {@code ws://} and {@code wss://}, directly or through a {@link
 * io.reactivews.client.ClientProxy}, and {@link io.reactivews.client.ReconnectingSession} keeps one
 * open across failures with a Reactor {@code Retry}.
 *
 * <p>The protocol itself (handshake checks, masking, framing, close handshake, keepalive) lives
 * in the core; this package connects it to Reactor Netty's {@code TcpClient}.
 */
package io.reactivews.client;
