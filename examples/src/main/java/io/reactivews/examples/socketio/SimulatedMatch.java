package io.reactivews.examples.socketio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Stands in for a game server's match flow: who plays, the kills as they happen, who won, and a
 * replay file. Seeded, so a run can be repeated and a test can predict the outcome.
 */
final class SimulatedMatch {

  /** Sent when the match starts. */
  record Start(String matchId, String map, List<String> players) {}

  /** One kill, as the backend's {@code match:event} expects it. */
  record Kill(String matchId, String type, String killer, String victim, String weapon) {}

  /** Sent when the match ends, next to the replay as a binary attachment. */
  record End(String matchId, String winner, int kills) {}

  private static final List<String> PLAYERS =
      List.of("Viper", "Nova", "Ghost", "Blaze", "Echo", "Rook");
  private static final List<String> MAPS = List.of("foundry", "harbor", "spire");
  private static final List<String> WEAPONS = List.of("rail", "rocket", "shotgun", "plasma");

  private final String matchId;
  private final Random random;
  private final List<String> players;
  private final List<Kill> kills = new ArrayList<>();

  SimulatedMatch(String matchId, long seed) {
    this.matchId = matchId;
    this.random = new Random(seed);
    List<String> shuffled = new ArrayList<>(PLAYERS);
    java.util.Collections.shuffle(shuffled, random);
    this.players = List.copyOf(shuffled.subList(0, 4));
  }

  Start start() {
    return new Start(matchId, MAPS.get(random.nextInt(MAPS.size())), players);
  }

  /** The next kill; each is remembered for the winner and the replay. */
  Kill nextKill() {
    String killer = players.get(random.nextInt(players.size()));
    String victim;
    do {
      victim = players.get(random.nextInt(players.size()));
    } while (victim.equals(killer));
    Kill kill = new Kill(matchId, "kill", killer, victim, WEAPONS.get(random.nextInt(4)));
    kills.add(kill);
    return kill;
  }

  /** The player with the most kills; a tie goes to the one listed first. */
  End end() {
    String winner = players.get(0);
    int best = -1;
    for (String player : players) {
      int count = (int) kills.stream().filter(k -> k.killer().equals(player)).count();
      if (count > best) {
        best = count;
        winner = player;
      }
    }
    return new End(matchId, winner, kills.size());
  }

  /** A replay file: one line per kill, then some bytes of recorded input as binary noise. */
  byte[] replay() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Kill kill : kills) {
      out.writeBytes((kill.killer() + " " + kill.weapon() + " " + kill.victim() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    byte[] input = new byte[4096];
    random.nextBytes(input);
    out.writeBytes(input);
    return out.toByteArray();
  }
}
