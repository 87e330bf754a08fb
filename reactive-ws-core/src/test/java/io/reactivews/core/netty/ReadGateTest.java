package io.reactivews.core.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A connection's input read as its reader asks ({@link ReadGate}, through {@link
 * NettyTransport#receive()}): real sockets on loopback, a plain socket as the peer.
 */
class ReadGateTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final BlockingQueue<Connection> accepted = new ArrayBlockingQueue<>(4);
  private final List<Reader> readers = new ArrayList<>();
  private DisposableServer server;
  private Socket peer;

  @BeforeEach
  void listen() throws IOException {
    server = TcpServer.create().host("127.0.0.1").port(0)
        .doOnConnection(accepted::add).bindNow();
    peer = new Socket("127.0.0.1", server.port());
  }

  @AfterEach
  void stop() throws IOException {
    // A reader that a failed test left behind would leave its waiting reads unreleased.
    readers.forEach(Reader::cancel);
    peer.close();
    server.disposeNow();
  }

  /** A reader of {@code connection}'s input, asking for nothing yet. */
  private Reader reading(Connection connection) {
    Reader reader = reader();
    NettyTransport.of(connection).receive().subscribe(reader);
    return reader;
  }

  /** Records what arrives, as copies: the buffers are borrowed. */
  private Reader reader() {
    Reader reader = new Reader();
    readers.add(reader);
    return reader;
  }

  private static final class Reader extends BaseSubscriber<ByteBuf> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CountDownLatch ended = new CountDownLatch(1);
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile int buffers;

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      // Nothing yet: each test asks for what it wants.
    }

    @Override
    protected void hookOnNext(ByteBuf buf) {
      byte[] copy = new byte[buf.readableBytes()];
      buf.getBytes(buf.readerIndex(), copy);
      synchronized (bytes) {
        bytes.writeBytes(copy);
      }
      buffers++;
    }

    @Override
    protected void hookOnError(Throwable t) {
      error.set(t);
      ended.countDown();
    }

    @Override
    protected void hookOnComplete() {
      ended.countDown();
    }

    int size() {
      synchronized (bytes) {
        return bytes.size();
      }
    }

    byte[] all() {
      synchronized (bytes) {
        return bytes.toByteArray();
      }
    }
  }

  private Connection connection() throws InterruptedException {
    Connection connection = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(connection, "the server accepted no connection");
    return connection;
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i % 251);
    }
    return bytes;
  }

  private static void await(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  private CompletableFuture<Void> send(byte[] bytes, boolean thenClose) {
    return CompletableFuture.runAsync(() -> {
      try {
        OutputStream out = peer.getOutputStream();
        for (int at = 0; at < bytes.length; at += 8192) {
          out.write(bytes, at, Math.min(8192, bytes.length - at));
        }
        out.flush();
        if (thenClose) {
          peer.shutdownOutput();
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
  }

  @Test
  void nothingIsReadPastWhatWasAskedForUntilTheReaderAsksAgain() throws Exception {
    Connection connection = connection();
    Reader reader = reading(connection);
    // Far more than the kernel's socket buffers on loopback hold: the peer must block.
    byte[] sent = pattern(64 << 20);
    CompletableFuture<Void> sending = send(sent, false);

    // Unasked, the first read waits and switches reading off; nothing reaches the reader.
    await("reading is switched off", () -> !connection.channel().config().isAutoRead());
    Thread.sleep(200);
    assertEquals(0, reader.buffers, "delivered without demand");
    assertFalse(sending.isDone(), "the peer wrote it all: the server kept reading");

    reader.request(1);
    await("the waiting read is delivered", () -> reader.buffers == 1);
    Thread.sleep(100);
    assertEquals(1, reader.buffers, "delivered past the demand");

    reader.request(Long.MAX_VALUE);
    sending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    await("everything sent has arrived", () -> reader.size() == sent.length);
    assertArrayEquals(sent, reader.all(), "bytes lost, doubled or out of order");
    assertTrue(connection.channel().config().isAutoRead(), "reading stayed off with demand");
  }

  @Test
  void aSlowReaderAskingFromAnotherThreadGetsEveryByteInOrderThenTheEnd() throws Exception {
    Connection connection = connection();
    Reader reader = reading(connection);
    byte[] sent = pattern(3 << 20);
    CompletableFuture<Void> sending = send(sent, true);

    // One buffer at a time, from this thread, not the event loop.
    while (reader.ended.getCount() > 0) {
      int before = reader.buffers;
      reader.request(1);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (reader.buffers == before && reader.ended.getCount() > 0) {
        assertTrue(System.nanoTime() < deadline, "a request was not answered");
        Thread.sleep(0, 200_000);
      }
    }
    sending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNull(reader.error.get());
    assertArrayEquals(sent, reader.all(), "bytes lost, doubled or out of order");
  }

  @Test
  void theEndWaitsForTheBytesBeforeIt() throws Exception {
    Connection connection = connection();
    Reader reader = reading(connection);
    byte[] sent = pattern(200_000);
    send(sent, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

    await("reading is switched off", () -> !connection.channel().config().isAutoRead());
    Thread.sleep(100);
    assertEquals(1, reader.ended.getCount(), "ended before what came first was read");

    reader.request(Long.MAX_VALUE);
    assertTrue(reader.ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "never ended");
    assertArrayEquals(sent, reader.all());
  }

  @Test
  void cancellingWithReadsWaitingDropsThemAndReadsNoMore() throws Exception {
    // The leak detector (PARANOID in every test JVM) fails the class if a waiting read leaks.
    Connection connection = connection();
    Reader reader = reading(connection);
    send(pattern(100_000), false).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    await("reading is switched off", () -> !connection.channel().config().isAutoRead());

    reader.cancel();
    reader.request(10); // ignored after the cancel
    Thread.sleep(100);
    assertEquals(0, reader.buffers);
    assertEquals(1, reader.ended.getCount(), "a cancelled reader was signalled");
  }

  @Test
  void aConnectionsInputHasOneReader() throws Exception {
    Connection connection = connection();
    NettyTransport transport = NettyTransport.of(connection);
    transport.receive().subscribe(reader());
    Reader second = reader();
    transport.receive().subscribe(second);
    assertTrue(second.ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertInstanceOf(IllegalStateException.class, second.error.get());
  }
}
