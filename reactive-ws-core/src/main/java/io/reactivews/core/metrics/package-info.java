/**
 * Micrometer meters for sessions, shared by the server and the client; exported to them alone.
 * Micrometer is optional: the classes here are loaded only once an application hands a server
 * or a client a {@code MeterRegistry}, and nothing else in core names a Micrometer type.
 */
package io.reactivews.core.metrics;
