package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.reactivews.core.deflate.CompressionCounters;
import io.reactivews.core.message.Message;
import io.reactivews.core.transport.InMemoryTransport;
import io.reactivews.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The opening handshake with no socket: the request goes in and every answer (101, refusal,
 * page) comes out through the transport SPI, so upgrade, routing and refusals are tested on an
 * in-memory connection.
 */
class InMemoryHandshakeTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  // Bytes that are not UTF-8 (a PNG's signature, then a lone continuation byte and a 0xFF).
  private static final byte[] PNG = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', (byte) 0x80, (byte) 0xff, 0};

  private final InMemoryTransport.Pair pair = InMemoryTransport.pair();
  private final SessionRegistry registry =
      new SessionRegistry(new io.reactivews.server.cluster.LocalBus());

  @AfterEach
  void hangUp() {
    pair.client().close();
    pair.server().close();
  }

  private void serve(WebSocketServer server) {
    new ConnectionHandler(server.config(), registry, new ServerEvents(),
        ConcurrentHashMap.newKeySet(), CompressionCounters.create(), () -> false)
        .serve(pair.server());
  }

  /** Writes {@code request}, then reads until {@code done} holds for what came back. */
  private byte[] exchange(String request, Predicate<byte[]> done) {
    pair.client().send(Mono.fromCallable(() ->
        Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1))).subscribe();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    return pair.client().receive()
        .map(buf -> {
          got.writeBytes(ByteBufUtil.getBytes(buf));
          return got.toByteArray();
        })
        .filter(done)
        .next()
        .switchIfEmpty(Mono.fromSupplier(got::toByteArray))
        .block(WAIT);
  }

  private String answer(String request) {
    byte[] bytes = exchange(request, InMemoryHandshakeTest::holdsWholeResponse);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** A head, and as many body bytes as its Content-Length says. */
  private static boolean holdsWholeResponse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String length = RawHttp.header(text.substring(0, end + 2), "Content-Length");
    return length == null || bytes.length - end - 4 >= Integer.parseInt(length);
  }

  @Test
  void anUpgradeIsAnsweredWith101AndTheRoutesSessionSpeaksNext() {
    serve(WebSocketServer.create().route("/hello",
        session -> session.send(Mono.just(Message.text("hi")))));

    // The 101, then the session's first frame: unmasked, final, text, "hi".
    String hi = "\u0081\u0002hi";
    String got = new String(exchange(RawHttp.upgradeRequest("/hello"),
        bytes -> new String(bytes, StandardCharsets.ISO_8859_1).endsWith(hi)),
        StandardCharsets.ISO_8859_1);
    assertTrue(got.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), got);
    assertEquals(RawHttp.accept(RawHttp.SAMPLE_KEY),
        RawHttp.header(got.substring(0, got.indexOf("\r\n\r\n") + 2), "Sec-WebSocket-Accept"));
    assertTrue(got.endsWith("\r\n\r\n" + hi), got);
    assertEquals(1, registry.count());
  }

  @Test
  void aPathWithNoRouteIsRefusedWith404() {
    serve(WebSocketServer.create().route("/hello", session -> Mono.never()));

    String got = answer(RawHttp.upgradeRequest("/elsewhere"));
    assertTrue(got.startsWith("HTTP/1.1 404 "), got);
    assertTrue(got.endsWith("no route for /elsewhere\n"), got);
    assertEquals(0, registry.count());
  }

  private WebSocketServer exactAndPrefix() {
    return WebSocketServer.create()
        .route(Route.prefix("/a/", session -> session.send(Mono.just(Message.text("a")))))
        .route(Route.exact("/a/b", session -> session.send(Mono.just(Message.text("b")))));
  }

  private String firstTextFrameAfterUpgrade(String path) {
    byte[] got = exchange(RawHttp.upgradeRequest(path), bytes -> {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      return text.contains("\r\n\r\n\u0081\u0001");
    });
    String text = new String(got, StandardCharsets.ISO_8859_1);
    assertTrue(text.startsWith("HTTP/1.1 101 "), text);
    return text.substring(text.length() - 1);
  }

  @Test
  void anExactRouteWinsOverAPrefix() {
    serve(exactAndPrefix());
    assertEquals("b", firstTextFrameAfterUpgrade("/a/b"));
  }

  @Test
  void aPrefixRouteTakesThePathsUnderIt() {
    serve(exactAndPrefix());
    assertEquals("a", firstTextFrameAfterUpgrade("/a/c?x=1"));
  }

  @Test
  void anOriginNotAllowedIsRefusedWith403() {
    serve(WebSocketServer.create().origins(OriginPolicy.allow("https://game.example.org"))
        .route("/hello", session -> Mono.never()));

    String got = answer(RawHttp.upgradeRequest("/hello")
        .replace("\r\n\r\n", "\r\nOrigin: https://evil.example.org\r\n\r\n"));
    assertTrue(got.startsWith("HTTP/1.1 403 "), got);
    assertTrue(got.endsWith("origin not allowed: https://evil.example.org\n"), got);
  }

  @Test
  void aHandshakeHookRefusesWithItsOwnStatus() {
    serve(WebSocketServer.create().route(Route.exact("/hello", session -> Mono.never())
        .onHandshake(ctx -> ctx.reject(401, "bad token"))));

    String got = answer(RawHttp.upgradeRequest("/hello"));
    assertTrue(got.startsWith("HTTP/1.1 401 "), got);
    assertTrue(got.endsWith("bad token\n"), got);
  }

  @Test
  void aPlainRequestToAWebSocketOnlyRouteGets426() {
    serve(WebSocketServer.create().route("/hello", session -> Mono.never()));

    String got = answer("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertTrue(got.startsWith("HTTP/1.1 426 "), got);
    assertTrue(got.contains("\r\nSec-WebSocket-Version: 13\r\n"), got);
  }

  @Test
  void aPageGivenAsBytesIsServedAsTheseBytes() {
    serve(WebSocketServer.create().route(Route.exact("/logo", session -> Mono.never())
        .page(StaticPage.of("image/png", PNG))));

    byte[] got = exchange("GET /logo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        InMemoryHandshakeTest::holdsWholeResponse);
    String head = new String(got, StandardCharsets.ISO_8859_1);
    assertTrue(head.startsWith("HTTP/1.1 200 "), head);
    assertTrue(head.contains("\r\nContent-Type: image/png\r\n"), head);
    assertTrue(head.contains("\r\nContent-Length: " + PNG.length + "\r\n"), head);
    int body = head.indexOf("\r\n\r\n") + 4;
    assertArrayEquals(PNG, Arrays.copyOfRange(got, body, got.length));
  }

  @Test
  void theHandshakeAndTheSessionShareTheTransportsOneWriterInTurn() {
    // The head goes out through send(), and the session's frames through a second send() once
    // the head's completed: the in-memory pipe refuses overlapping sends.
    serve(WebSocketServer.create().route("/hello",
        session -> session.send(Flux.just(Message.text("1"), Message.text("2")))));

    String got = new String(exchange(RawHttp.upgradeRequest("/hello"),
        bytes -> new String(bytes, StandardCharsets.ISO_8859_1).endsWith("\u0081\u00012")),
        StandardCharsets.ISO_8859_1);
    assertTrue(got.endsWith("\r\n\r\n\u0081\u00011\u0081\u00012"), got);
  }
}
