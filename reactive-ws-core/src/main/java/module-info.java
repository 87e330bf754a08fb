/**
 * The WebSocket protocol (RFC 6455) with no sockets: messages, close statuses, the opening
 * handshake's words (headers, refusals), sessions as applications see them, and JSON events.
 *
 * <p>Applications read the packages exported to everyone. The server and the client also share
 * what applications must not depend on: opening and running sessions ({@code internal}), the
 * transport SPI with its in-memory pair ({@code transport}) and the Reactor Netty adapter
 * ({@code netty}); those are exported to them alone. Frames, operators and keepalive are not
 * exported at all. {@code ModuleExportsTest} holds the list.
 */
@SuppressWarnings("module") // the qualified exports name modules that are compiled after this one
module io.reactivews.core {
  requires transitive com.fasterxml.jackson.databind;
  requires transitive io.netty.buffer;
  requires transitive io.netty.common;
  requires transitive org.reactivestreams;
  requires transitive reactor.core;
  requires io.netty.transport;
  requires reactor.netty.core;
  // Optional: read only when an application hands over a MeterRegistry.
  requires static micrometer.core;
  // Optional: long texts are checked, and long payloads masked, a vector at a time when the JVM
  // was started with it.
  requires static jdk.incubator.vector;
  // Optional: the vectors' warm-ups time their thread's CPU with it, else the wall clock.
  requires static java.management;

  exports io.reactivews.core;
  exports io.reactivews.core.close;
  exports io.reactivews.core.compression;
  exports io.reactivews.core.handshake;
  exports io.reactivews.core.json;
  exports io.reactivews.core.limit;
  exports io.reactivews.core.message;
  exports io.reactivews.core.session;

  exports io.reactivews.core.deflate to io.reactivews.server, io.reactivews.client;
  exports io.reactivews.core.metrics to io.reactivews.server, io.reactivews.client;
  exports io.reactivews.core.internal to io.reactivews.server, io.reactivews.client;
  exports io.reactivews.core.netty to io.reactivews.server, io.reactivews.client;
  exports io.reactivews.core.transport to io.reactivews.server, io.reactivews.client;
}
