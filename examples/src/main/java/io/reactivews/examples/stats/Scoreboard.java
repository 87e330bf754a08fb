package io.reactivews.examples.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The state of a match at one moment: an immutable value, so the newest one can be handed to
 * any number of viewers, and a slow viewer can skip straight to it.
 *
 * @param round the current round, from 1
 * @param players each player's line, best first
 * @param version increases with every change, so a page can tell it missed some
 */
public record Scoreboard(int round, List<Line> players, long version) {

  /** One player's line. */
  public record Line(String name, int kills, int deaths, int score) {}

  static Scoreboard start(List<String> names) {
    List<Line> lines = names.stream().map(n -> new Line(n, 0, 0, 0)).toList();
    return new Scoreboard(1, lines, 0);
  }

  Scoreboard kill(String killer, String victim) {
    List<Line> next = new ArrayList<>();
    for (Line line : players) {
      if (line.name().equals(killer)) {
        next.add(new Line(line.name(), line.kills() + 1, line.deaths(), line.score() + 100));
      } else if (line.name().equals(victim)) {
        next.add(new Line(line.name(), line.kills(), line.deaths() + 1, line.score()));
      } else {
        next.add(line);
      }
    }
    next.sort(Comparator.comparingInt(Line::score).reversed().thenComparing(Line::name));
    return new Scoreboard(round, List.copyOf(next), version + 1);
  }

  Scoreboard nextRound() {
    return new Scoreboard(round + 1, players, version + 1);
  }
}
