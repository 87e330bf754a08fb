package io.reactivews.server.cluster;

import io.reactivews.core.message.Message;
import java.util.Objects;

/**
 * A message of a topic as a node receives it: the message, the node that published it, and in
 * {@link DeliveryMode#STREAMS} its offset, which a client keeps to resume from. A gap carries no
 * message: it says that messages may be missing here, so the application should resync.
 *
 * @param topic the topic
 * @param offset where it sits in the topic, to resume from; null when there is no history
 * @param origin the id of the node that published it; null for a gap
 * @param message the message; null for a gap
 */
public record TopicMessage(String topic, String offset, String origin, Message message) {

  public TopicMessage {
    Objects.requireNonNull(topic, "topic");
  }

  /** A marker: messages of {@code topic} may have been lost before this point. */
  public static TopicMessage gap(String topic) {
    return new TopicMessage(topic, null, null, null);
  }

  public boolean isGap() {
    return message == null;
  }
}
