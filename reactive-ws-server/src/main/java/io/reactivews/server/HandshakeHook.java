package io.reactivews.server;

import reactor.core.publisher.Mono;

/**
 * Decides, after the protocol checks and before the 101, whether an upgrade may proceed: check a
 * token, look up a user, attach attributes. Complete to accept; return {@link
 * HandshakeContext#reject(int, String)} to refuse. May be asynchronous; the handshake timeout
 * bounds it.
 *
 * <pre>{@code
 * HandshakeHook auth = ctx -> tokens.check(ctx.queryParameter("token"))
 *     .doOnNext(user -> ctx.attribute("user", user))
 *     .switchIfEmpty(Mono.error(...))  // or: ctx.reject(401, "bad token")
 *     .then();
 * }</pre>
 */
@FunctionalInterface
public interface HandshakeHook {

  HandshakeHook ACCEPT_ALL = ctx -> Mono.empty();

  Mono<Void> check(HandshakeContext context);
}
