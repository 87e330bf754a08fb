/**
 * JSON over WebSocket without bytes: {@link io.reactivews.core.json.JsonCodec} encodes values as
 * text messages and decodes text or binary messages, {@link io.reactivews.core.json.JsonDecoder}
 * turns a stream of messages into a stream of values, and {@link
 * io.reactivews.core.json.EventRouter} dispatches typed events ({@code {"type":"...", ...}}) to
 * handlers and writes their replies.
 *
 * <p>A bad message is the sender's problem with one message, not the end of the session: every
 * operator here skips it and reports it unless the application asks to close with 1007.
 */
package io.reactivews.core.json;
