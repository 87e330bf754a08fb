package io.reactivews.examples.bench.peer;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.reactivews.examples.bench.MemoryProbe;

/**
 * What every comparison peer shares with our bench server: its options, its limits, the answer
 * of its {@code /stats} route and the start line that {@code examples/bench/compare.sh} waits for;
 * and what the Netty-based peers share, the frame their {@code /reply} route answers with.
 */
final class PeerSupport {

  /** The largest frame and message every bench server takes, as ours does. */
  static final int MAX_MESSAGE = 16 << 20;

  private PeerSupport() {}

  /**
   * The {@code /reply} answer of the Netty-based peers to a text or binary frame: a new frame
   * made from its text, or from a copy of its bytes, as an application that reads each message
   * writes it. The received frame stays the caller's to release.
   */
  static WebSocketFrame replyTo(WebSocketFrame frame) {
    return frame instanceof TextWebSocketFrame text ? new TextWebSocketFrame(text.text())
        : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(frame.content())));
  }

  /**
   * {@code --host}, {@code --port} and {@code --deflate}, the only options a peer takes. With
   * {@code --deflate} the peer negotiates permessage-deflate as its library does by default when
   * it is turned on (keeping context, so each connection compresses for itself); without it, it
   * declines any offer.
   */
  record Options(String host, int port, boolean deflate) {

    static Options parse(String[] args, int defaultPort) {
      String host = "127.0.0.1";
      int port = defaultPort;
      boolean deflate = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--host" -> host = args[++i];
          case "--port" -> port = Integer.parseInt(args[++i]);
          case "--deflate" -> deflate = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(host, port, deflate);
    }
  }

  /**
   * The {@code /stats} answer to {@code question}: pid, heap in use after a full collection and
   * resident memory, read as our bench server reads them ({@link MemoryProbe}). Blocks for a few
   * hundred milliseconds: call it off the event loop. Asked for the counters, as a load asks around
   * its measured window, it answers at once ({@link MemoryProbe#heapFor}).
   */
  static String stats(String question) {
    long heap = -1;
    try {
      heap = MemoryProbe.heapFor(question);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "pid=" + ProcessHandle.current().pid() + " heap=" + heap
        + " rss=" + MemoryProbe.residentBytes();
  }

  /** The line compare.sh waits for before it sends load. */
  static void announce(String what, Options options, int boundPort) {
    System.out.println("bench server (" + what + ") on ws://" + options.host() + ":" + boundPort
        + " pid " + ProcessHandle.current().pid());
  }
}
