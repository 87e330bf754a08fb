/**
 * Conformance of the server through real sockets, case by case after the widely used public
 * WebSocket conformance suite: its categories 1 to 7 and 10, with its case ids ({@code "5.19"})
 * in the test names. The cases are shared with the client's tests and live in core's test jar
 * ({@link io.reactivews.testing.conformance}); here they run against an {@link
 * io.reactivews.server.conformance.EchoServer} started once per test class, played by a {@link
 * io.reactivews.server.conformance.ClientPeer} (a masking {@link
 * io.reactivews.server.testing.RawClient}). Where the suite accepts several behaviours, the
 * cases accept them too and say so; where this project promises more (a close frame before
 * every drop, the code echoed in every close reply), {@code ServerWireRulesTest} holds it to
 * that.
 *
 * <p>To add a case, add it to its category's table in core: the server and the client run it.
 */
package io.reactivews.server.conformance;
