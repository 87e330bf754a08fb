/**
 * Conformance of the server through real sockets, case by case after the widely used public
 * WebSocket conformance suite: its categories 1 to 7 and 10 (framing, pings and pongs, reserved
 * bits and opcodes, fragmentation, UTF-8, the close handshake, large fragmented messages), with
 * its case ids ({@code "5.19"}) in the test names. Category 9 (performance) is left to
 * benchmarks.
 *
 * <p>Each case is data: a {@link io.reactivews.server.conformance.Script} of raw frames (cut into
 * writes as the suite cuts them, with pauses where it pauses) and an {@link
 * io.reactivews.server.conformance.Outcome} (the events to see and how the connection must end).
 * {@link io.reactivews.server.conformance.CaseRunner} plays a case with a {@link
 * io.reactivews.server.testing.RawClient} against an {@link
 * io.reactivews.server.conformance.EchoServer} started once per test class. Where the suite
 * accepts several behaviours, the cases accept them too and say so; where this project promises
 * more (a close frame before every drop, the code echoed in every close reply), {@code
 * ServerWireRulesTest} holds it to that.
 *
 * <p>To add a case, add a {@code ConformanceCase.of(id, description, script, outcome)} to the
 * list of its category's test class.
 */
package io.reactivews.server.conformance;
