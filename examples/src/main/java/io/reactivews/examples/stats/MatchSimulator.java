package io.reactivews.examples.stats;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Stands in for a game server's hooks: a stream of match events (kills, round ends) at a steady
 * pace, and the scoreboard they produce. Seeded, so a run can be repeated.
 */
final class MatchSimulator {

  /** Something that happened in the match. */
  sealed interface MatchEvent {}

  record Kill(String killer, String victim, String weapon) implements MatchEvent {}

  record RoundEnd(int round) implements MatchEvent {}

  private static final List<String> PLAYERS =
      List.of("Viper", "Nova", "Ghost", "Blaze", "Echo", "Rook");
  private static final List<String> WEAPONS = List.of("rail", "rocket", "shotgun", "plasma");

  private final Random random;
  private final AtomicReference<Scoreboard> board =
      new AtomicReference<>(Scoreboard.start(PLAYERS));

  MatchSimulator(long seed) {
    this.random = new Random(seed);
  }

  Scoreboard scoreboard() {
    return board.get();
  }

  /** One event per {@code period}; every 20th ends a round. Hot once subscribed via share(). */
  Flux<MatchEvent> events(Duration period, Scheduler scheduler) {
    return Flux.interval(period, scheduler).map(tick -> next(tick + 1));
  }

  private synchronized MatchEvent next(long tick) {
    if (tick % 20 == 0) {
      Scoreboard now = board.updateAndGet(Scoreboard::nextRound);
      return new RoundEnd(now.round() - 1);
    }
    String killer = PLAYERS.get(random.nextInt(PLAYERS.size()));
    String victim;
    do {
      victim = PLAYERS.get(random.nextInt(PLAYERS.size()));
    } while (victim.equals(killer));
    String weapon = WEAPONS.get(random.nextInt(WEAPONS.size()));
    String k = killer;
    String v = victim;
    board.updateAndGet(b -> b.kill(k, v));
    return new Kill(killer, victim, weapon);
  }
}
