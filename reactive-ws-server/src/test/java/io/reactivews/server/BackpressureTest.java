package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.message.Message;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A client that writes as fast as TCP lets it, a handler that reads slower: the server's memory
 * must stay flat, because a handler's demand is what turns socket reads on (reads stop, the
 * kernel buffers fill, the client's writes block). Nothing may be lost on the way.
 */
class BackpressureTest {

  private static final int MESSAGES = 3200;
  private static final int SIZE = 64 * 1024;
  private static final long TOTAL = (long) MESSAGES * SIZE; // 200 MiB
  private static final long MIB = 1 << 20;

  // What the handler saw; written by the handler, read by the test thread.
  private final AtomicLong consumedBytes = new AtomicLong();
  private final AtomicLong consumedMessages = new AtomicLong();
  private final AtomicLong outOfOrder = new AtomicLong();
  private final CRC32 serverCrc = new CRC32();
  private final CompletableFuture<Long> serverChecksum = new CompletableFuture<>();

  @Test
  void slowHandlerKeepsServerMemoryFlatAndLosesNothing() throws Exception {
    // One message per millisecond at most: about 64 MiB/s, slower than loopback TCP.
    BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
        .route("/sink", session -> session.receive()
            .concatMap(m -> Mono.delay(Duration.ofMillis(1)).doOnNext(t -> consume(m)), 1)
            .then(Mono.fromRunnable(() -> serverChecksum.complete(serverCrc.getValue()))))
        .bindNow();
    try (RawClient client = RawClient.open(server.port(), "/sink")) {
      client.socket().setSendBufferSize(64 * 1024);
      long heapBefore = usedHeapAfterGc();
      long directBefore = directMemory();

      AtomicLong sentBytes = new AtomicLong();
      AtomicLong consumedWhenSenderDone = new AtomicLong(-1);
      CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
        long crc = send(client, sentBytes);
        consumedWhenSenderDone.set(consumedBytes.get());
        return crc;
      });

      long start = System.nanoTime();
      long heapPeak = 0;
      long directPeak = 0;
      long lagPeak = 0;
      int samples = 0;
      while (consumedMessages.get() < MESSAGES && System.nanoTime() - start < 25_000_000_000L) {
        Thread.sleep(100);
        lagPeak = Math.max(lagPeak, sentBytes.get() - consumedBytes.get());
        heapPeak = Math.max(heapPeak, usedHeapAfterGc());
        directPeak = Math.max(directPeak, directMemory());
        samples++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long expectedCrc = sent.get(5, TimeUnit.SECONDS);
      client.sendClose(1000);
      assertEquals(1000, client.readClose().closeCode());
      long heapAfter = usedHeapAfterGc();

      System.out.printf("backpressure: %d MiB in %.1f s (%.0f MiB/s); heap before %.1f MiB, "
              + "peak %.1f MiB (+%.1f), after %.1f MiB; direct before %.1f MiB, peak %.1f MiB; "
              + "in flight (sent - consumed) peak %.1f MiB; consumed when the sender finished "
              + "%.1f MiB; %d samples%n",
          TOTAL / MIB, seconds, TOTAL / MIB / seconds, mib(heapBefore), mib(heapPeak),
          mib(heapPeak - heapBefore), mib(heapAfter), mib(directBefore), mib(directPeak),
          mib(lagPeak), mib(consumedWhenSenderDone.get()), samples);

      assertEquals(MESSAGES, consumedMessages.get());
      assertEquals(TOTAL, consumedBytes.get());
      assertEquals(0, outOfOrder.get(), "messages out of sequence");
      assertEquals(expectedCrc, serverChecksum.get(5, TimeUnit.SECONDS), "payload checksum");
      assertTrue(samples >= 10, "the transfer was too fast to show anything: " + samples);
      // The sender was held back: when its last write returned, most had been consumed.
      assertTrue(consumedWhenSenderDone.get() > TOTAL - 64 * MIB,
          "the sender got " + mib(TOTAL - consumedWhenSenderDone.get()) + " MiB ahead");
      // What was sent and not yet consumed sat in kernel buffers, not in the server.
      assertTrue(heapPeak - heapBefore < 16 * MIB, "heap grew " + mib(heapPeak - heapBefore));
      assertTrue(directPeak - directBefore < 16 * MIB,
          "direct memory grew " + mib(directPeak - directBefore));
    } finally {
      server.shutdown(Duration.ofSeconds(5)).block();
    }
  }

  /** Called one message at a time, in order. */
  private void consume(Message m) {
    ByteBuffer payload = m.payload();
    if (payload.getInt(0) != consumedMessages.get()) {
      outOfOrder.incrementAndGet();
    }
    serverCrc.update(payload);
    consumedBytes.addAndGet(m.size());
    consumedMessages.incrementAndGet();
  }

  /**
   * Writes every message from one pre-encoded masked frame, patching the sequence number into
   * the first four payload bytes; returns the CRC-32 of the payloads.
   */
  private static long send(RawClient client, AtomicLong sentBytes) {
    byte[] payload = new byte[SIZE];
    new Random(6455).nextBytes(payload);
    byte[] frame = RawClient.frame(0x2, payload);
    int offset = frame.length - SIZE; // 2 header bytes, 8 length bytes, 4 mask bytes
    byte[] mask = Arrays.copyOfRange(frame, offset - 4, offset);
    CRC32 crc = new CRC32();
    try {
      OutputStream out = client.socket().getOutputStream();
      for (int seq = 0; seq < MESSAGES; seq++) {
        ByteBuffer.wrap(payload).putInt(0, seq);
        for (int i = 0; i < 4; i++) {
          frame[offset + i] = (byte) (payload[i] ^ mask[i]);
        }
        crc.update(payload);
        out.write(frame);
        sentBytes.addAndGet(SIZE);
      }
      out.flush();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return crc.getValue();
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long directMemory() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }

  private static double mib(long bytes) {
    return bytes / (double) MIB;
  }
}
