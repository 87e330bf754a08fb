/**
 * The one adapter from Reactor Netty to the protocol: a TCP {@code Connection} as a {@link
 * io.reactivews.core.transport.Transport}, with the writer that paces frames by the channel's
 * writability. Everything Netty-specific below the server and the client lives here; the rest of
 * core knows Netty's buffers but no channel. Shared by the server and the client only.
 */
package io.reactivews.core.netty;
