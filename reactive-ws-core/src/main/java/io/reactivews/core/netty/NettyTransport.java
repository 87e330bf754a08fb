package io.reactivews.core.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DuplexChannel;
import io.reactivews.core.transport.HeadReader;
import io.reactivews.core.transport.Transport;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * A Reactor Netty TCP {@link Connection} as a {@link Transport}: the one place where the
 * protocol meets a socket. Reads follow demand ({@link ReadGate} turns auto-read off when a
 * buffer comes that nobody asked for, and each buffer is released after {@code onNext}); writes
 * go through a {@link ChannelWriter}, which flushes once per burst and follows the channel's
 * writability. What a connection writes while handling its own reads is flushed when that read
 * batch ends ({@link ReadBatchEnd}). The connection's close reaches every party through one
 * listener ({@link CloseActions}).
 *
 * <pre>{@code
 * Transport transport = NettyTransport.of(connection);
 * }</pre>
 */
public final class NettyTransport implements Transport {

  private final Connection connection;
  private final Flux<ByteBuf> inbound;
  /** Shared with every transport made from this one by {@link #withInbound}. */
  private final CloseActions closeActions;

  private NettyTransport(Connection connection, Flux<ByteBuf> inbound, CloseActions closeActions) {
    this.connection = connection;
    this.inbound = inbound;
    this.closeActions = closeActions;
  }

  public static NettyTransport of(Connection connection) {
    Objects.requireNonNull(connection, "connection");
    ReadBatchEnd.install(connection.channel().pipeline());
    return new NettyTransport(
        connection, bytes(connection), new CloseActions(connection.channel()));
  }

  /** The connection's inbound buffers as downstream asks for them ({@link ReadGate}). */
  private static Flux<ByteBuf> bytes(Connection connection) {
    return new ReadGate(connection);
  }

  /**
   * The same connection reading from {@code rest} instead, for when the opening handshake has
   * consumed the start of the stream (see {@link HeadReader}).
   */
  @Override
  public NettyTransport withInbound(Flux<ByteBuf> rest) {
    return new NettyTransport(connection, Objects.requireNonNull(rest, "rest"), closeActions);
  }

  @Override
  public Flux<ByteBuf> receive() {
    return inbound;
  }

  @Override
  public Mono<Void> send(Publisher<? extends ByteBuf> frames) {
    return new ChannelWriter(connection.channel(), frames, closeActions);
  }

  @Override
  public void shutdownOutput() {
    if (connection.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
      duplex.shutdownOutput();
    }
  }

  /**
   * Closes the connection and drops what it delivered and nobody read. A connection that is
   * closed already (the peer's end of stream closes it) is left as it is: what it delivered
   * before stays readable, as the close handshake needs the peer's close frame among it.
   */
  @Override
  public void close() {
    if (connection.channel().isOpen()) {
      connection.dispose();
    }
  }

  @Override
  public Mono<Void> onClose() {
    return connection.onDispose();
  }

  @Override
  public void whenClosed(Runnable action) {
    closeActions.whenClosed(Objects.requireNonNull(action, "action"));
  }

  @Override
  public boolean isOpen() {
    return !connection.isDisposed();
  }

  @Override
  public Executor executor() {
    return connection.channel().eventLoop();
  }

  @Override
  public ByteBufAllocator alloc() {
    return connection.channel().alloc();
  }

  @Override
  public SocketAddress remoteAddress() {
    return connection.channel().remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return connection.channel().localAddress();
  }
}
