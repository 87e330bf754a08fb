package io.reactivews.server.cluster;

/** The cluster could not be reached, so a question about other nodes has no answer. */
public final class ClusterUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ClusterUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
