package io.reactivews.server;

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
 * A JDK {@link WebSocket} listener that queues whole text messages and the close code, so tests
 * can read what the server sent with a timeout. Binary messages are queued as their length.
 */
final class RecordingListener implements WebSocket.Listener {

  final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  final CompletableFuture<String> closeReason = new CompletableFuture<>();
  WebSocket socket;
  private StringBuilder text = new StringBuilder();
  private int binary;

  /** Opens a WebSocket to {@code uri} with a fresh listener, waiting up to 5 s. */
  static RecordingListener open(HttpClient client, String uri) throws Exception {
    RecordingListener listener = new RecordingListener();
    listener.socket = client.newWebSocketBuilder().buildAsync(URI.create(uri), listener)
        .get(5, TimeUnit.SECONDS);
    return listener;
  }

  /** The next whole text message, waiting up to 5 s; fails on a timeout. */
  String nextText() throws InterruptedException {
    Object next = messages.poll(5, TimeUnit.SECONDS);
    if (!(next instanceof String s)) {
      throw new AssertionError("expected a text message, got " + next);
    }
    return s;
  }

  /** The code of the server's close frame, waiting up to 5 s. */
  int awaitClose() throws Exception {
    return closeCode.get(5, TimeUnit.SECONDS);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      messages.add(text.toString());
      text = new StringBuilder();
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    binary += data.remaining();
    if (last) {
      messages.add(binary);
      binary = 0;
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeReason.complete(reason);
    closeCode.complete(statusCode);
    return null; // the JDK client then answers with its own close frame
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closeReason.completeExceptionally(error);
    closeCode.completeExceptionally(error);
  }
}
