/**
 * The client's Micrometer meters. Not exported: applications turn them on with {@code
 * WebSocketClient.metrics(registry)}; the client loads these classes (and Micrometer) only then.
 */
package io.reactivews.client.metrics;
