package io.reactivews.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivews.core.close.CloseStatus;
import io.reactivews.core.message.Message;
import io.reactivews.testing.RawFrame;
import io.reactivews.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The flood from issue 16, over loopback sockets and on the server's own event loops: one member
 * floods a room as fast as the server reads it, three members read every byte as fast as it
 * comes, and one stopped reading after its handshake. Each line is fanned out from the flooder's
 * event loop into the other members' lanes, so a reader's lane sees bursts that its own event
 * loop has not yet had a turn to drain; the verdict must not mistake them for slowness.
 *
 * <p>Every run: no reader is disconnected and each gets every line; the member that does not
 * read is disconnected at the latest a grace time after its connection took its last message
 * (sooner if the byte bound is reached first), and its lane never holds more than the byte bound
 * plus one line.
 *
 * <p>{@code -Dfairness.countVerdict=true} runs the same flood with the verdict by message count
 * ({@code disconnect(256, ...)}), as the chat example judged before, for comparison.
 */
class FloodFairnessTest {

  private static final int LINES = 10_000;
  private static final int PAYLOAD = 1000;
  private static final int FRAME = PAYLOAD + 4; // 16-bit length header
  private static final int READERS = 3;
  private static final Duration GRACE = Duration.ofMillis(700);
  private static final long MAX_BYTES = OverflowPolicy.DEFAULT_MAX_BYTES;
  private static final CloseStatus TOO_SLOW = CloseStatus.of(1008, "too slow to follow");
  private static final OverflowPolicy POLICY = Boolean.getBoolean("fairness.countVerdict")
      ? OverflowPolicy.disconnect(256, TOO_SLOW).maxBytes(MAX_BYTES).grace(GRACE)
      : OverflowPolicy.disconnect(TOO_SLOW).maxBytes(MAX_BYTES).grace(GRACE);

  private final Sinks.Many<Message> lines = Sinks.many().multicast().directBestEffort();
  private final Broadcast room = Broadcast.of(lines.asFlux());
  private final Map<String, BroadcastSubscription> members = new ConcurrentHashMap<>();
  private final Map<String, Long> lastTakenAt = new ConcurrentHashMap<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong judgedAt = new AtomicLong();
  private final BoundServer server = WebSocketServer.create().host("127.0.0.1").port(0)
      .route("/room", session -> {
        String who = session.handshake().queryParameter("who");
        if (who.equals("flooder")) {
          // The flooder's event loop fans each line out to every lane: the burst under test.
          return session.receive().doOnNext(line -> {
            published.incrementAndGet();
            lines.tryEmitNext(line);
          }).then();
        }
        BroadcastSubscription member = room.subscribe(session, POLICY);
        members.put(who, member);
        return member.onEnd().onErrorResume(e -> Mono.empty());
      })
      .bindNow();

  @AfterEach
  void stop() {
    room.dispose();
    server.shutdown(Duration.ofSeconds(2)).block();
  }

  @RepeatedTest(10)
  void readersThatDrainAreNeverDisconnectedAndTheOneThatStoppedIsWithinItsGrace()
      throws Exception {
    List<Reader> readers = new ArrayList<>();
    try (Socket stalled = open("stalled")) {
      stalled.setReceiveBufferSize(4096);
      for (int i = 0; i < READERS; i++) {
        readers.add(new Reader(open("reader" + i)));
      }
      Viewer.await(() -> members.size() == READERS + 1, () -> "every member joined");
      readers.forEach(Thread::start);
      BroadcastSubscription silent = members.get("stalled");
      Thread watcher = watchProgress("stalled", silent);

      try (Socket flooder = open("flooder")) {
        flood(flooder.getOutputStream());
        Viewer.await(() -> published.get() == LINES, () -> "the server read the whole flood");
      }

      for (int i = 0; i < READERS; i++) {
        Reader reader = readers.get(i);
        reader.join(20_000);
        BroadcastSubscription.Stats stats = members.get("reader" + i).stats();
        assertFalse(stats.disconnected(), "reader" + i + " keeps up and stays: " + stats);
        assertEquals(LINES, stats.delivered(), "reader" + i + " got every line: " + stats);
        assertEquals((long) LINES * FRAME, reader.received, "reader" + i + "'s bytes");
        System.out.println("reader" + i + " peak lane bytes " + stats.peakQueuedBytes());
      }

      Viewer.await(() -> silent.stats().disconnected(), () -> "the stalled member is judged");
      watcher.join(5000);
      BroadcastSubscription.Stats stats = silent.stats();
      long sinceLastTake =
          Duration.ofNanos(judgedAt.get() - lastTakenAt.get("stalled")).toMillis();
      // By the byte bound during the flood, or by the grace after it: not long after either way.
      assertTrue(sinceLastTake <= GRACE.toMillis() + 1500, "judged too late: " + sinceLastTake);
      assertTrue(sinceLastTake >= GRACE.toMillis() - 50
          || stats.peakQueuedBytes() + FRAME > MAX_BYTES, "judged early: " + stats);
      assertTrue(stats.peakQueuedBytes() <= MAX_BYTES + FRAME, "bounded in bytes: " + stats);
    }
  }

  /** Notes when the lane last handed a message on, and when it was judged. */
  private Thread watchProgress(String who, BroadcastSubscription subscription) {
    Thread watcher = new Thread(() -> {
      long delivered = -1;
      while (!subscription.stats().disconnected()) {
        long now = subscription.stats().delivered();
        if (now != delivered) {
          delivered = now;
          lastTakenAt.put(who, System.nanoTime());
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
      judgedAt.set(System.nanoTime());
    }, "progress-" + who);
    lastTakenAt.put(who, System.nanoTime());
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }

  private Socket open(String who) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(20_000);
    socket.getOutputStream().write(RawHttp.upgradeRequest("/room?who=" + who)
        .getBytes(StandardCharsets.ISO_8859_1));
    String head = readHead(socket.getInputStream());
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    return socket;
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("EOF in the response head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** Writes every line as fast as the socket takes it, 64 frames per write. */
  private static void flood(OutputStream out) throws IOException {
    byte[] payload = new byte[PAYLOAD];
    Arrays.fill(payload, (byte) 'x');
    byte[] frame = RawFrame.text(payload).masked().bytes();
    int perWrite = 64;
    byte[] block = new byte[frame.length * perWrite];
    for (int i = 0; i < perWrite; i++) {
      System.arraycopy(frame, 0, block, i * frame.length, frame.length);
    }
    for (int sent = 0; sent < LINES; sent += perWrite) {
      int n = Math.min(perWrite, LINES - sent);
      out.write(block, 0, n * frame.length);
    }
    out.flush();
  }

  /** Reads its socket as fast as bytes come, until it has every line or the server ends it. */
  private static final class Reader extends Thread {
    private final Socket socket;
    volatile long received;

    Reader(Socket socket) {
      super("reader");
      this.socket = socket;
      setDaemon(true);
    }

    @Override
    public void run() {
      byte[] buf = new byte[64 << 10];
      try (socket; InputStream in = socket.getInputStream()) {
        long total = 0;
        int n;
        while (total < (long) LINES * FRAME && (n = in.read(buf)) > 0) {
          total += n;
          received = total;
        }
      } catch (IOException e) {
        // Counted bytes tell the story.
      }
    }
  }
}
