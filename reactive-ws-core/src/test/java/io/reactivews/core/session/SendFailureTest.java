package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.internal.PreparedMessage;
import io.reactivews.core.message.Message;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.core.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * A frame that cannot be made, most likely for want of memory for its buffer: the session fails
 * with 1011 and says why, the caller gets an answer instead of an exception, nothing queued
 * behind is written out of order or leaked, and the queue is never left stuck.
 */
class SendFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SessionOptions OPTIONS =
      SessionOptions.defaults().closeTimeout(Duration.ofSeconds(2));

  private final Starving starving = new Starving();

  private Transport starving(Transport connection) {
    return starving.transport(connection);
  }

  private static DefaultWebSocketSession open(Transport transport, Role role) {
    return DefaultWebSocketSession.open(transport, role, OPTIONS, HandshakeInfo.root());
  }

  @Test
  void aMessageThatCannotBeEncodedFailsTheSessionWith1011InsteadOfThrowingAtTheCaller() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = open(starving(pair.server()), Role.SERVER);
    DefaultWebSocketSession client = open(pair.client(), Role.CLIENT);
    List<Message> received = new CopyOnWriteArrayList<>();
    client.receive().subscribe(received::add);

    assertEquals(Sinks.EmitResult.OK, server.tryEmit(Message.text("before")));
    starving.refuse(1);
    assertEquals(Sinks.EmitResult.FAIL_TERMINATED, server.tryEmit(Message.text("lost")));
    assertEquals(Sinks.EmitResult.FAIL_TERMINATED, server.tryEmit(Message.text("after")),
        "a failing session takes nothing more");

    CloseStatus seen = client.closeStatus().block(WAIT);
    assertEquals(1011, seen.code());
    assertEquals("could not send a message: OutOfMemoryError: " + Starving.MESSAGE,
        seen.reason());
    assertEquals(1011, server.closeStatus().block(WAIT).code());
    assertEquals(List.of(Message.text("before")), received);
  }

  @Test
  void whenNotEvenTheCloseFrameCanBeMadeTheConnectionIsDropped() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair();
    DefaultWebSocketSession server = open(starving(pair.server()), Role.SERVER);
    DefaultWebSocketSession client = open(pair.client(), Role.CLIENT);
    client.receive().subscribe(message -> { }, error -> { }); // it ends without a close frame

    starving.refuse(Integer.MAX_VALUE);
    assertEquals(Sinks.EmitResult.FAIL_TERMINATED, server.tryEmit(Message.text("lost")));

    assertEquals(1006, client.closeStatus().block(WAIT).code(), "no close frame came");
    assertEquals(1011, server.closeStatus().block(WAIT).code(), "the server knows why");
    assertEquals(ReadyState.CLOSED, server.state());
  }

  @Test
  void aQueuedMessageThatCannotBeEncodedDropsWhatIsQueuedBehindItAndLeaksNothing() {
    // A window of 64 bytes, and nobody reading yet: the first message fills it, the rest queue.
    InMemoryTransport.Pair pair = InMemoryTransport.pair(64, 64);
    DefaultWebSocketSession client = open(starving(pair.client()), Role.CLIENT);
    List<PreparedMessage> messages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      messages.add(PreparedMessage.of(Message.binary(new byte[100]), PooledByteBufAllocator.DEFAULT));
    }
    List<PreparedMessage> taken = new CopyOnWriteArrayList<>();
    List<Throwable> sendErrors = new CopyOnWriteArrayList<>();
    client.sendPrepared(Flux.fromIterable(messages).doOnNext(taken::add))
        .subscribe(null, sendErrors::add);

    starving.refuse(1); // the first queued message, when the server starts reading
    DefaultWebSocketSession server = open(pair.server(), Role.SERVER);
    List<Message> received = new CopyOnWriteArrayList<>();
    server.receive().subscribe(received::add);

    CloseStatus seen = server.closeStatus().block(WAIT);
    assertEquals(1011, seen.code());
    assertTrue(seen.reason().startsWith("could not send a message"), seen.reason());
    assertEquals(1, received.size(), "only what went before the failure: " + received);
    assertEquals(1011, client.closeStatus().block(WAIT).code());
    StepVerifier.create(Flux.fromIterable(sendErrors)).assertNext(e -> {
      assertTrue(e instanceof WebSocketException, String.valueOf(e));
      assertEquals(1011, ((WebSocketException) e).status().code());
    }).verifyComplete();
    // The first was written, the second failed, and at least one more waited behind it.
    assertTrue(taken.size() >= 3, "taken: " + taken.size());
    for (PreparedMessage message : messages) {
      if (taken.contains(message)) {
        assertEquals(0, message.refCnt(), "written or released: " + message);
      } else {
        message.release(); // never taken from the source: still its owner's
      }
    }
  }
}
