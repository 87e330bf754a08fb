package io.reactivews.core.json;

/** Payload types shaped like a small game server's. */
final class Samples {

  private Samples() {}

  record Score(String player, int points) {}

  record PlayerDeath(String player, String killer) {}

  record Ping(long t) {}

  record Pong(long t) {}

  /** A mutable bean, bound through its setters rather than a constructor. */
  static final class Profile {
    private String name;
    private int level;

    public Profile() {}

    Profile(String name, int level) {
      this.name = name;
      this.level = level;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getLevel() {
      return level;
    }

    public void setLevel(int level) {
      this.level = level;
    }
  }
}
