package io.reactivews.core;

/**
 * Which end of a connection we are. RFC 6455 section 5.1: a client masks every frame it sends
 * and a server masks none; each side fails the connection when the other breaks that rule.
 */
public enum Role {
  CLIENT,
  SERVER;

  /** Whether frames this role sends carry a masking key. */
  public boolean masksOutbound() {
    return this == CLIENT;
  }

  /** Whether frames this role receives must carry a masking key. */
  public boolean expectsMaskedInbound() {
    return this == SERVER;
  }
}
