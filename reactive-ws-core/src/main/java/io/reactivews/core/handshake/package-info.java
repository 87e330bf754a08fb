/**
 * The HTTP/1.1 opening handshake of RFC 6455 section 4, without I/O: heads parsed from and
 * written to bytes, and the checks each side makes.
 *
 * <p>Server: {@link io.reactivews.core.handshake.HttpHeadParser#forRequest()} reads the request,
 * {@link io.reactivews.core.handshake.ServerHandshake} checks it and writes the 101 or the
 * refusal. Client: {@link io.reactivews.core.handshake.ClientHandshake} writes the request,
 * {@link io.reactivews.core.handshake.HttpHeadParser#forResponse()} reads the answer, and the
 * attempt checks it. Either way, the bytes left in the last buffer after the head are the first
 * WebSocket frames.
 *
 * <p>Failures are {@link io.reactivews.core.handshake.HandshakeException}s carrying an HTTP
 * status and headers; programming errors (a header value with a line break, a subprotocol the
 * client never offered) are {@link java.lang.IllegalArgumentException}s.
 */
package io.reactivews.core.handshake;
