package io.reactivews.client.socketio;

import java.time.Duration;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One deadline at a time for an Engine.IO connection: the open packet must come within the
 * connect timeout, and each ping within {@code pingInterval + pingTimeout} of the last. Arming
 * again replaces the deadline; a deadline armed for a connection that was lost meanwhile (its
 * epoch passed) does nothing when it expires.
 *
 * <p>Thread-safe.
 */
final class Watchdog {

  private final Consumer<SocketIoException> onExpiry;
  private Disposable timer;
  private long epoch;

  /** {@code onExpiry} gets an exception saying what did not come in time. */
  Watchdog(Consumer<SocketIoException> onExpiry) {
    this.onExpiry = onExpiry;
  }

  /** Expects something ({@code what}) within {@code deadline}. */
  synchronized void arm(Duration deadline, String what) {
    cancel();
    long armedIn = epoch;
    timer = Mono.delay(deadline).subscribe(tick -> {
      synchronized (this) {
        if (epoch != armedIn) {
          return;
        }
      }
      onExpiry.accept(new SocketIoException(what + " (" + deadline.toMillis() + " ms)"));
    });
  }

  /** The connection is gone: cancels the deadline, and any that is expiring right now. */
  synchronized void connectionLost() {
    epoch++;
    cancel();
  }

  private void cancel() {
    if (timer != null) {
      timer.dispose();
      timer = null;
    }
  }
}
