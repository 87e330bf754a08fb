package io.reactivews.testing;

import java.io.IOException;

/**
 * An echo server script from {@code .ci/peers/} that is running: it listens on 127.0.0.1 at
 * {@link #port()} until {@link #stop()} closes its standard input. Closing this handle kills it
 * if it still runs, so use it with try-with-resources.
 */
public final class ServingPeer implements AutoCloseable {

  private final ChildProcess process;
  private final int port;

  ServingPeer(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  public int port() {
    return port;
  }

  /** {@code ws://127.0.0.1:port} followed by {@code path}. */
  public String url(String path) {
    return "ws://127.0.0.1:" + port + path;
  }

  /** Asks the server to stop, waits for it, and returns everything it reported. */
  public PeerReport stop() throws InterruptedException {
    process.closeInput();
    ChildPeer.requireSuccess(process, process.awaitExit(ChildPeer.TIMEOUT));
    return PeerReport.parse(process.stdout());
  }

  @Override
  public void close() throws IOException {
    process.close();
  }

  @Override
  public String toString() {
    return process + " on port " + port;
  }
}
