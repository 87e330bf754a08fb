package io.reactivews.server.cluster;

/**
 * A change in a node's link to the cluster, reported by the bus and by the server's events
 * ({@code ServerEvent.Cluster}).
 */
public sealed interface ClusterEvent {

  /** The bus reached the cluster: at start, or again after it was cut off. */
  record Up(String nodeId) implements ClusterEvent {}

  /** The bus lost the cluster; local delivery goes on, and it keeps trying with backoff. */
  record Down(String nodeId, String reason) implements ClusterEvent {}

  /** Messages of {@code topic} published elsewhere while cut off may have been lost here. */
  record Gap(String nodeId, String topic) implements ClusterEvent {}
}
