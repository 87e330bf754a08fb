package io.reactivews.core.transport;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * A connection whose inbound bytes are what its opening handshake left unread, as {@link
 * Transport#withInbound} makes it; everything else is the connection's own.
 */
final class RestOfStream extends ForwardingTransport {

  private final Flux<ByteBuf> rest;

  RestOfStream(Transport connection, Flux<ByteBuf> rest) {
    super(connection);
    this.rest = Objects.requireNonNull(rest, "rest");
  }

  @Override
  public Flux<ByteBuf> receive() {
    return rest;
  }
}
