/**
 * Limits on what a peer may send: {@link io.reactivews.core.limit.RateLimit}, a token bucket in
 * messages and bytes per second applied as an operator to a session's inbound messages.
 */
package io.reactivews.core.limit;
