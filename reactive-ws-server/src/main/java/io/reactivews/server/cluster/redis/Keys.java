package io.reactivews.server.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** The names this bus gives its Redis keys and channels, all under one prefix. */
final class Keys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  /** Pub/sub channel of a topic. */
  byte[] channel(String topic) {
    return bytes(prefix + ":topic:" + topic);
  }

  String topicOfChannel(byte[] channel) {
    String name = new String(channel, StandardCharsets.UTF_8);
    return name.substring(prefix.length() + ":topic:".length());
  }

  boolean isTopicChannel(byte[] channel) {
    return new String(channel, StandardCharsets.UTF_8).startsWith(prefix + ":topic:");
  }

  /** Stream of a topic. */
  byte[] stream(String topic) {
    return bytes(prefix + ":stream:" + topic);
  }

  String topicOfStream(byte[] stream) {
    String name = new String(stream, StandardCharsets.UTF_8);
    return name.substring(prefix.length() + ":stream:".length());
  }

  /** Pub/sub channel where a node instance takes messages for its sessions. */
  byte[] inbox(String instance) {
    return bytes(prefix + ":inbox:" + instance);
  }

  /** A node instance's heartbeat: present while it lives. */
  byte[] heartbeat(String instance) {
    return bytes(prefix + ":node:" + instance);
  }

  /** The node instances that were ever alive, pruned when their heartbeat is gone. */
  byte[] nodes() {
    return bytes(prefix + ":nodes");
  }

  /** Hash: session id to the node instance that holds it. */
  byte[] sessions() {
    return bytes(prefix + ":sessions");
  }

  /** Set: the sessions of one node instance in one room; expires with its heartbeat. */
  byte[] room(String room, String instance) {
    return bytes(prefix + ":room:" + room + ":" + instance);
  }

  /**
   * A name for one run of node {@code nodeId}: the id, a slash and a random part, so that a
   * node restarted under the same id does not take over the keys of the process before it.
   */
  static String instanceOf(String nodeId) {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return nodeId + "/" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The node id in an instance's name; a bare node id (from an older node) as it is. */
  static String nodeOf(String instance) {
    int slash = instance.lastIndexOf('/');
    return slash < 0 ? instance : instance.substring(0, slash);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
