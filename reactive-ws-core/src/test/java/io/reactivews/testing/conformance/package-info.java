/**
 * The widely used public WebSocket conformance suite's categories 1 to 7 and 10 (framing, pings
 * and pongs, reserved bits and opcodes, fragmentation, UTF-8, the close handshake, large
 * fragmented messages) as data that holds for either end of a connection, with the suite's case
 * ids ({@code "5.19"}). Category 9 (performance) is left to benchmarks.
 *
 * <p>Each case is a {@link io.reactivews.testing.conformance.Script} of raw frames (cut into
 * writes as the suite cuts them, with pauses where it pauses) and an {@link
 * io.reactivews.testing.conformance.Outcome} (the events the endpoint under test sends and how
 * the connection ends). The tables ({@code FramingCases}, {@code FragmentationCases}, {@code
 * Utf8Cases}, {@code CloseCases}, {@code AutoFragmentationCases}) name no role: a {@link
 * io.reactivews.testing.conformance.CaseRunner} plays the other end. Against a server it plays
 * the suite's fuzzing client, masking every frame; against a client it plays the fuzzing
 * server, masking none, and ends TCP first after the close handshake. The {@link
 * io.reactivews.testing.conformance.Transcript} checks each frame of the endpoint against the
 * rules of its role as it arrives.
 *
 * <p>The server module runs the tables against its echo server, the client module against our
 * client echoing through a {@link io.reactivews.testing.ScriptedServer}; each supplies a {@link
 * io.reactivews.testing.conformance.PeerConnection}. To add a case, add a {@code
 * ConformanceCase.of(id, description, script, outcome)} to its category's table: both ends run
 * it.
 */
package io.reactivews.testing.conformance;
