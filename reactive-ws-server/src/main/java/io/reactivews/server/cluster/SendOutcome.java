package io.reactivews.server.cluster;

/** What became of a message sent to a session by id. */
public enum SendOutcome {
  /** Queued on the session, which is on this node. */
  DELIVERED,
  /**
   * Handed to the node that holds the session, at most once from there: a session that closed a
   * moment ago may still be listed, and the message is then dropped on its node.
   */
  FORWARDED,
  /** The session is on this node but too slow to take more. */
  OVERFLOW,
  /**
   * No node holds a session with this id (it closed, or never was). A node lists a session it
   * opens a moment after the session starts: one opened just now on another node may be missed.
   */
  NOT_FOUND,
  /** The node that held the session stopped answering: it is gone, and so is the session. */
  NODE_GONE,
  /** The session is not on this node, and the cluster cannot be reached to look elsewhere. */
  UNAVAILABLE
}
