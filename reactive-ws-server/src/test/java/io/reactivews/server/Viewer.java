package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.core.Role;
import io.reactivews.core.message.Message;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.session.HandshakeInfo;
import io.reactivews.core.session.SessionOptions;
import io.reactivews.core.transport.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * A peer session at the far end of an in-memory connection, reading sequence-numbered messages
 * only when told to: a paused viewer reads nothing, so the connection's window fills and the
 * broadcast sees a slow consumer.
 */
final class Viewer extends BaseSubscriber<Message> {

  static final SessionOptions OPTIONS = SessionOptions.defaults().pingInterval(Duration.ZERO);

  final DrivenSession session;
  private final List<Integer> received = new CopyOnWriteArrayList<>();
  private final boolean reading;

  private Viewer(InMemoryTransport transport, Role role, boolean reading) {
    this.reading = reading;
    this.session = Sessions.open(transport, role, OPTIONS, HandshakeInfo.root());
    session.receive().subscribe(this);
  }

  /** A client that reads everything as it comes. */
  static Viewer reading(InMemoryTransport transport) {
    return new Viewer(transport, Role.CLIENT, true);
  }

  /** A client that reads nothing until {@link #resume()}. */
  static Viewer paused(InMemoryTransport transport) {
    return new Viewer(transport, Role.CLIENT, false);
  }

  /** A peer playing {@code role}, reading everything. */
  static Viewer reading(InMemoryTransport transport, Role role) {
    return new Viewer(transport, role, true);
  }

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    if (reading) {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  protected void hookOnNext(Message message) {
    received.add(seq(message.text()));
  }

  @Override
  protected void hookOnError(Throwable throwable) {
    // The connection ended; what was received stays for the assertions.
  }

  void resume() {
    request(Long.MAX_VALUE);
  }

  List<Integer> received() {
    return List.copyOf(received);
  }

  /** Waits until {@code n} messages arrived; fails after 5 s. */
  Viewer awaitReceived(int n) {
    await(() -> received.size() >= n, () -> "received " + received.size() + " of " + n);
    assertEquals(n, received.size(), "more than expected arrived");
    return this;
  }

  /** The text of message number {@code seq}: 98 bytes, so its frame is 100 on the wire. */
  static Message message(int seq) {
    return Message.text(String.format("%04d", seq) + ".".repeat(94));
  }

  static int seq(String text) {
    return Integer.parseInt(text.substring(0, 4));
  }

  static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }

  /** Waits for {@code condition}; fails after 5 s, saying {@code what} was awaited. */
  static void await(BooleanSupplier condition, Supplier<String> what) {
    if (!within(Duration.ofSeconds(5), condition)) {
      throw new AssertionError("timed out: " + what.get());
    }
  }

  /** Whether {@code condition} held within {@code limit}. */
  static boolean within(Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return true;
  }
}
