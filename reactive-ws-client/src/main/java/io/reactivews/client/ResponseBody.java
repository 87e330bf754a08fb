package io.reactivews.client;

import io.netty.buffer.ByteBuf;
import io.reactivews.core.handshake.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The start of the body of a refused handshake, so that the failure can say what the server
 * said ("token expired", an HTML error page...). Reads what arrives within a short wait, up to a
 * byte limit or the {@code Content-Length}, whichever is smaller; never fails.
 */
final class ResponseBody {

  private ResponseBody() {}

  static Mono<String> start(Flux<ByteBuf> rest, HttpHeaders headers, int maxBytes, Duration wait) {
    int limit = Math.min(maxBytes, contentLength(headers));
    if (limit == 0) {
      rest.subscribe().dispose(); // lets the reader release what it kept
      return Mono.just("");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    return rest
        .map(buf -> {
          // Copied now: the transport releases each buffer once onNext returns.
          int n = Math.min(buf.readableBytes(), limit - body.size());
          byte[] bytes = new byte[n];
          buf.readBytes(bytes);
          body.write(bytes, 0, n);
          return n;
        })
        .takeUntil(n -> body.size() >= limit)
        .take(wait)
        .onErrorResume(e -> Mono.empty())
        .then(Mono.fromCallable(() -> new String(body.toByteArray(), StandardCharsets.UTF_8)));
  }

  /** The declared length, or no bound when it is missing or not a number. */
  private static int contentLength(HttpHeaders headers) {
    String value = headers.get("Content-Length");
    if (value == null || !value.matches("[0-9]{1,9}")) {
      return Integer.MAX_VALUE;
    }
    return Integer.parseInt(value);
  }
}
