/**
 * Test tools that talk to a WebSocket server from outside, byte for byte: {@link
 * io.reactivews.server.testing.RawClient} (a blocking socket client that writes any frame, valid
 * or not, and reports frames and the connection's end), {@link
 * io.reactivews.server.testing.RawFrame} (a frame as raw wire fields) and {@link
 * io.reactivews.server.testing.ScriptedPeer} (a hand-driven server end for testing clients).
 */
package io.reactivews.server.testing;
