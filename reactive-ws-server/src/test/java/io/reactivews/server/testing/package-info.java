/**
 * A test tool that talks to a WebSocket server from outside, byte for byte: {@link
 * io.reactivews.server.testing.RawClient}, a blocking socket client that writes any frame, valid
 * or not, and reports frames and the connection's end. Its frames ({@link
 * io.reactivews.testing.RawFrame}) and the scripted server end its own tests run against ({@link
 * io.reactivews.testing.ScriptedServer}) live in core's shared test jar.
 */
package io.reactivews.server.testing;
