package io.reactivews.server.cluster;

/** Where a published message went. */
public enum PublishOutcome {
  /** Handed to the cluster: every node that is connected gets it. */
  CLUSTER,
  /**
   * Delivered on this node only: the cluster could not take it (unreachable, or its bounded
   * request queue is full). Other nodes never see it.
   */
  LOCAL_ONLY
}
