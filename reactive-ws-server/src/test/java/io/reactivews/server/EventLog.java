package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import reactor.core.Disposable;

/**
 * Records a server's events from the moment it is created, and lets a test wait for the ones it
 * expects. Thread-safe.
 */
final class EventLog implements AutoCloseable {

  private final List<ServerEvent> events = new ArrayList<>();
  private final Disposable subscription;

  EventLog(BoundServer server) {
    subscription = server.events().subscribe(this::add);
  }

  private synchronized void add(ServerEvent event) {
    events.add(event);
    notifyAll();
  }

  /** Waits until {@code count} recorded events match, and returns them. */
  List<ServerEvent> await(
      int count, Predicate<ServerEvent> match, Duration timeout) throws InterruptedException {
    return await(0, count, match, timeout);
  }

  private synchronized List<ServerEvent> await(int from, int count,
      Predicate<ServerEvent> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ServerEvent> matching = events.subList(from, events.size()).stream()
          .filter(match).collect(Collectors.toList());
      if (matching.size() >= count) {
        return matching;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return fail("saw " + matching.size() + " of " + count + " expected events within "
            + timeout + "; all events: " + summary());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits for one matching event. */
  ServerEvent await(Predicate<ServerEvent> match) throws InterruptedException {
    return await(1, match, Duration.ofSeconds(5)).get(0);
  }

  /** How many events were recorded so far: a mark for {@link #awaitAfter}. */
  synchronized int mark() {
    return events.size();
  }

  /** Waits for a matching event recorded after {@code mark}. */
  ServerEvent awaitAfter(int mark, Predicate<ServerEvent> match) throws InterruptedException {
    return await(mark, 1, match, Duration.ofSeconds(5)).get(0);
  }

  synchronized List<ServerEvent> all() {
    return List.copyOf(events);
  }

  synchronized long count(Predicate<ServerEvent> match) {
    return events.stream().filter(match).count();
  }

  private String summary() {
    return events.size() > 20 ? events.size() + " events, first " + events.subList(0, 20)
        : events.toString();
  }

  static Predicate<ServerEvent> refused(int status) {
    return e -> e instanceof ServerEvent.Refused r && r.status() == status;
  }

  static Predicate<ServerEvent> closed(int code) {
    return e -> e instanceof ServerEvent.Closed c && c.status().code() == code;
  }

  static Predicate<ServerEvent> connected() {
    return e -> e instanceof ServerEvent.Connected;
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
