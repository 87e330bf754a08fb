package io.reactivews.server;

import io.reactivews.core.transport.ForwardingTransport;
import io.reactivews.core.transport.Transport;
import java.util.concurrent.Executor;

/** An in-memory connection that says it runs on {@code loop}, as a socket's says it does. */
final class OnLoop extends ForwardingTransport {

  private final Executor loop;

  OnLoop(Transport connection, Executor loop) {
    super(connection);
    this.loop = loop;
  }

  @Override
  public Executor executor() {
    return loop;
  }
}
