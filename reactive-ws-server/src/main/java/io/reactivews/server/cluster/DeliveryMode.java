package io.reactivews.server.cluster;

/**
 * How topic messages travel between nodes.
 *
 * <table>
 *   <caption>Guarantees</caption>
 *   <tr><th>mode</th><th>across nodes</th><th>while a node is cut off</th><th>resume</th></tr>
 *   <tr><td>{@link #LOCAL}</td><td>one node only</td><td>-</td><td>gap</td></tr>
 *   <tr><td>{@link #PUB_SUB}</td><td>at most once, in order per publisher</td>
 *       <td>lost; a gap is reported on reconnect</td><td>gap</td></tr>
 *   <tr><td>{@link #STREAMS}</td><td>in one order per topic for every node, each message with
 *       an offset</td><td>read on reconnect, within retention</td>
 *       <td>no gaps, no duplicates within retention; a gap beyond</td></tr>
 * </table>
 */
public enum DeliveryMode {
  /** In-process: a cluster of one node. */
  LOCAL,
  /** Redis pub/sub: fast, at most once. */
  PUB_SUB,
  /** Redis Streams with bounded retention: offsets and resume. */
  STREAMS
}
