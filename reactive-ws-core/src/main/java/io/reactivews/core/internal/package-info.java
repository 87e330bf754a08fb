/**
 * What the server and the client share and applications must not depend on: opening and running
 * sessions, and messages encoded once for many sessions. Exported only to {@code
 * io.reactivews.server} and {@code io.reactivews.client}.
 */
package io.reactivews.core.internal;
