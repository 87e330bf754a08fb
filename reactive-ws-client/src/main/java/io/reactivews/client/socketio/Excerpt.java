package io.reactivews.client.socketio;

/** The start of a packet, quoted, for error messages that must stay readable. */
final class Excerpt {

  private static final int MAX = 60;

  private Excerpt() {}

  static String of(String text) {
    String shown = text.length() <= MAX ? text : text.substring(0, MAX) + "...";
    return '"' + shown + '"';
  }
}
