package io.reactivews.server.cluster.redis;

import java.nio.charset.StandardCharsets;

/** The names this bus gives its Redis keys and channels, all under one prefix. */
final class Keys {

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

  /** Pub/sub channel where a node takes messages for its sessions. */
  byte[] inbox(String node) {
    return bytes(prefix + ":inbox:" + node);
  }

  /** A node's heartbeat: present while it lives. */
  byte[] heartbeat(String node) {
    return bytes(prefix + ":node:" + node);
  }

  /** The ids of nodes that were ever alive, pruned when their heartbeat is gone. */
  byte[] nodes() {
    return bytes(prefix + ":nodes");
  }

  /** Hash: session id to the node that holds it. */
  byte[] sessions() {
    return bytes(prefix + ":sessions");
  }

  /** Set: the sessions of one node in one room; expires with the node's heartbeat. */
  byte[] room(String room, String node) {
    return bytes(prefix + ":room:" + room + ":" + node);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
