package io.reactivews.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.Role;
import io.reactivews.core.WebSocketException;
import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.core.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A frame that finds no memory on its way in (the allocator of the read refuses the buffer a
 * frame across reads is gathered in): that connection fails with 1011 and says why, the error
 * reaches the application, nothing the decoder held is leaked (the leak detector runs at
 * PARANOID), and the other sessions of the process go on. Reactor rethrows a JVM error from an
 * operator, so without the decoder's care the error would escape into the transport with the
 * frame's buffers held.
 */
class ReceiveFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SessionOptions OPTIONS =
      SessionOptions.defaults().closeTimeout(Duration.ofSeconds(2));

  private final Starving starving = new Starving();

  private static DefaultWebSocketSession open(Transport transport, Role role) {
    return DefaultWebSocketSession.open(transport, role, OPTIONS, HandshakeInfo.root());
  }

  /**
   * A client whose messages sit written in the pipe, in reads of 16 KiB whose buffers come from
   * the starving allocator, and a server that echoes them (so its decoder keeps whole frames in
   * buffers from that allocator) opened only after the first refusal is armed.
   */
  @Test
  void aFrameThatFindsNoMemoryFailsItsConnectionWith1011AndTheOthersGoOn() {
    InMemoryTransport.Pair pair = InMemoryTransport.pair(1 << 20, 16 * 1024);
    DefaultWebSocketSession client = open(starving.transport(pair.client()), Role.CLIENT);
    List<Message> echoed = new CopyOnWriteArrayList<>();
    client.receive().subscribe(echoed::add, error -> { });
    client.send(Flux.just(Message.binary(new byte[200 * 1024]))).subscribe(null, error -> { });

    starving.refuse(1);
    DefaultWebSocketSession server = open(pair.server(), Role.SERVER);
    List<Throwable> serverErrors = new CopyOnWriteArrayList<>();
    server.send(server.receive()).subscribe(null, serverErrors::add);

    CloseStatus seen = client.closeStatus().block(WAIT);
    assertEquals(1011, seen.code());
    assertEquals("could not receive a message: OutOfMemoryError: " + Starving.MESSAGE,
        seen.reason());
    assertEquals(1011, server.closeStatus().block(WAIT).code());
    assertEquals(List.of(), echoed);
    assertEquals(1, serverErrors.size(), "the application hears of it: " + serverErrors);
    assertTrue(serverErrors.get(0) instanceof WebSocketException e && e.code() == 1011,
        String.valueOf(serverErrors.get(0)));

    // Memory is back: another connection of the same process is served as usual.
    InMemoryTransport.Pair next = InMemoryTransport.pair(1 << 20, 16 * 1024);
    DefaultWebSocketSession nextClient = open(starving.transport(next.client()), Role.CLIENT);
    DefaultWebSocketSession nextServer = open(next.server(), Role.SERVER);
    nextServer.send(nextServer.receive()).subscribe(null, error -> { });
    List<Message> nextEchoed = new CopyOnWriteArrayList<>();
    nextClient.receive().subscribe(nextEchoed::add, error -> { });
    Message big = Message.binary(new byte[200 * 1024]);
    nextClient.send(Flux.just(big)).block(WAIT);
    nextClient.close(CloseStatus.NORMAL).block(WAIT);
    assertEquals(List.of(big), nextEchoed);
  }
}
