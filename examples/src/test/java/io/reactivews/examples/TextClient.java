package io.reactivews.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for example tests, built on the JDK's own implementation (a peer nobody
 * here wrote): sends text, and queues what arrives ("text", "binary:N", "close:CODE").
 */
public final class TextClient implements AutoCloseable {

  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final WebSocket socket;

  public TextClient(String url) throws Exception {
    socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              received.add(text.toString());
              text.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            received.add("binary:" + data.remaining());
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            received.add("close:" + code);
            return CompletableFuture.completedFuture(null);
          }
        }).get(5, TimeUnit.SECONDS);
  }

  public void send(String text) throws Exception {
    socket.sendText(text, true).get(5, TimeUnit.SECONDS);
  }

  /**
   * The next message, waiting up to 20 s; fails the test if none comes. Generous: only a message
   * that never comes should fail, and the first one through a node (a Redis subscription, code
   * not yet compiled) has taken over 5 s on a loaded two-core machine.
   */
  public String next() throws InterruptedException {
    String message = received.poll(20, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("nothing received within 20 s");
    }
    return message;
  }

  /** The next message if one is here already, else null. */
  public String poll() {
    return received.poll();
  }

  /** The next message containing {@code fragment}, skipping others. */
  public String nextContaining(String fragment) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      String message = next();
      if (message.contains(fragment)) {
        return message;
      }
    }
    throw new AssertionError("no message containing " + fragment);
  }

  @Override
  public void close() {
    socket.sendClose(1000, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
