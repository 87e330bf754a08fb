package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reactivews.core.Role;
import io.reactivews.core.message.Message;
import io.reactivews.core.internal.DrivenSession;
import io.reactivews.core.internal.Sessions;
import io.reactivews.core.session.HandshakeInfo;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.core.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Sinks;

/**
 * A broadcast and the in-memory connections of its audience: each seat is a server session
 * subscribed to the broadcast, with a {@link Viewer} at the far end of a connection whose window
 * holds ten 100-byte frames. The source is a sink that refuses to buffer, so a broadcast that
 * held it back would show as a failed emission.
 *
 * <p>A stage given event loops puts each server session on one of them, as a socket's would be,
 * so the broadcast fans out there ({@link LoopFanOut}) rather than on the publishing thread.
 */
final class Stage implements AutoCloseable {

  static final int FRAME = 100;
  static final int WINDOW_FRAMES = 10;

  // Direct: unpooled heap buffers are not tracked by the leak detector.
  final CountingAllocator alloc = new CountingAllocator(true);
  final Sinks.Many<Message> source = Sinks.many().multicast().directAllOrNothing();
  final Broadcast broadcast = Broadcast.of(source.asFlux(), alloc);
  private final List<InMemoryTransport.Pair> pairs = new ArrayList<>();
  private final EventLoopGroup loops;

  /** Sessions with no event loop: each message is offered on the publishing thread. */
  Stage() {
    this(null);
  }

  /** Server sessions on {@code loops}, taken in turn; the stage shuts them down at its close. */
  Stage(EventLoopGroup loops) {
    this.loops = loops;
  }

  /** A server session subscribed to the broadcast, and the viewer at the far end. */
  record Seat(DrivenSession server, BroadcastSubscription subscription, Viewer viewer,
      InMemoryTransport.Pair pair) {
    BroadcastSubscription.Stats stats() {
      return subscription.stats();
    }
  }

  /** A seat whose handler ends with the subscription, as an application's would. */
  Seat seat(OverflowPolicy policy, boolean reading) {
    Seat seat = seatWithoutHandler(policy, reading);
    seat.server().run(s -> seat.subscription().onEnd()).subscribe();
    return seat;
  }

  /** A seat whose session stays open whatever happens to the subscription. */
  Seat seatWithoutHandler(OverflowPolicy policy, boolean reading) {
    InMemoryTransport.Pair pair = pair();
    DrivenSession server = Sessions.open(
        placed(pair.server()), Role.SERVER, Viewer.OPTIONS, HandshakeInfo.root());
    BroadcastSubscription subscription = broadcast.subscribe(server, policy);
    Viewer viewer = reading ? Viewer.reading(pair.client()) : Viewer.paused(pair.client());
    return new Seat(server, subscription, viewer, pair);
  }

  List<Seat> seats(int n, OverflowPolicy policy, boolean reading) {
    List<Seat> seats = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      seats.add(seat(policy, reading));
    }
    return seats;
  }

  /** {@code transport}, on the next event loop if the stage has them. */
  Transport placed(Transport transport) {
    return loops == null ? transport : new OnLoop(transport, loops.next());
  }

  /**
   * {@code n} client sessions subscribed to the broadcast, each placed as {@link #placed} does
   * and read by a server peer, which fails the connection with 1002 on any unmasked frame: a
   * client must mask its own copy of each prepared frame.
   */
  List<Viewer> maskingClients(int n) {
    List<Viewer> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      InMemoryTransport.Pair pair = pair();
      DrivenSession client = Sessions.open(
          placed(pair.client()), Role.CLIENT, Viewer.OPTIONS, HandshakeInfo.root());
      broadcast.subscribe(client, OverflowPolicy.dropOldest(100));
      peers.add(Viewer.reading(pair.server(), Role.SERVER));
    }
    return peers;
  }

  InMemoryTransport.Pair pair() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(WINDOW_FRAMES * FRAME, FRAME);
    pairs.add(pair);
    return pair;
  }

  void publish(int from, int to) {
    for (int i = from; i <= to; i++) {
      assertEquals(Sinks.EmitResult.OK, source.tryEmitNext(Viewer.message(i)),
          "the source was held back at message " + i);
    }
  }

  /** Never lost silently: each offered message is delivered, dropped, unsent or queued. */
  static void assertAccounted(BroadcastSubscription.Stats s) {
    assertEquals(s.offered(), s.delivered() + s.dropped() + s.unsent() + s.queuedMessages(),
        s.toString());
  }

  /** Drops every connection and checks that every encoded frame was released. */
  @Override
  public void close() {
    broadcast.dispose();
    for (InMemoryTransport.Pair pair : pairs) {
      pair.client().close();
    }
    Viewer.await(() -> alloc.liveBytes() == 0, () -> alloc.liveBytes() + " frame bytes held");
    if (loops != null) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
