/**
 * The server's Micrometer meters. Not exported: applications turn them on with {@code
 * WebSocketServer.metrics(registry)}; the server loads these classes (and Micrometer) only then.
 */
package io.reactivews.server.metrics;
