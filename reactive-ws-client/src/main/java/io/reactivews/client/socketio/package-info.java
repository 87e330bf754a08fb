/**
 * A Reactor-native Socket.IO v4 client: Socket.IO v5 packets over Engine.IO v4, on the
 * WebSocket transport of {@link io.reactivews.client.WebSocketClient}, reconnecting through a
 * {@link io.reactivews.client.ReconnectingSession}.
 *
 * <pre>{@code
 * SocketIoSession session = SocketIoClient.create()
 *     .connect("http://127.0.0.1:3000/", Map.of("token", token))
 *     .block();
 * session.on("goal", Goal.class).subscribe(goal -> show(goal));
 * session.emitWithAck("match-start", new Match(42, "blue", "red"))
 *     .subscribe(reply -> log.info("backend says {}", reply));
 * }</pre>
 *
 * <p>Layers: {@code EnginePacket}, {@code EngineHandshake}, {@code SocketIoPacket}, {@code
 * PacketCodec}, {@code Attachments} and {@code PacketAssembler} are the pure protocol, tested
 * without sockets; {@link io.reactivews.client.socketio.SocketIoManager} runs one connection;
 * {@link io.reactivews.client.socketio.SocketIoSession} is one namespace on it.
 */
package io.reactivews.client.socketio;
