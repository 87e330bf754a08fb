package io.reactivews.core.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultPromise;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What waits for a connection's close, behind its one listener on the close future. */
class CloseActionsTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final CloseActions actions = new CloseActions(channel);
  private final List<String> ran = new ArrayList<>();

  private Runnable action(String name) {
    return () -> ran.add(name);
  }

  private ChannelFutureListener listener(String name) {
    return future -> {
      assertSame(channel.closeFuture(), future, name + " was not told which close");
      ran.add(name);
    };
  }

  @Test
  void everyActionRunsOnceAtTheCloseInTheOrderAdded() {
    actions.whenClosed(action("a"));
    actions.listen(listener("b"));
    actions.whenClosed(action("c"));
    actions.whenClosed(action("d")); // past the three fields
    actions.listen(listener("e"));
    assertEquals(List.of(), ran);

    channel.close();
    channel.close();
    assertEquals(List.of("a", "b", "c", "d", "e"), ran);
  }

  @Test
  void aListenerTakenBackIsNotToldAndTheOrderStillHolds() {
    ChannelFutureListener writer = listener("writer");
    ChannelFutureListener late = listener("late");
    actions.whenClosed(action("a"));
    actions.listen(writer);
    actions.whenClosed(action("b"));
    actions.listen(late);
    actions.unlisten(writer); // leaves a gap before "b"
    actions.unlisten(late); // from the list
    actions.whenClosed(action("c")); // after "b", not in the gap

    channel.close();
    assertEquals(List.of("a", "b", "c"), ran);
  }

  @Test
  void oneThatThrowsDoesNotStopTheRest() {
    actions.whenClosed(action("a"));
    actions.whenClosed(() -> {
      throw new IllegalStateException("boom (expected by the test)");
    });
    actions.whenClosed(action("c"));
    actions.whenClosed(action("d"));

    channel.close();
    assertEquals(List.of("a", "c", "d"), ran);
  }

  @Test
  void oneAddedAfterTheCloseRunsAtOnce() {
    channel.close();
    actions.whenClosed(action("late"));
    assertEquals(List.of("late"), ran);
    ChannelFuture[] told = new ChannelFuture[1];
    actions.listen(future -> told[0] = future);
    assertSame(channel.closeFuture(), told[0]);
  }

  @Test
  void theFutureKeepsOneListenerHoweverManyWait() throws Exception {
    for (int i = 0; i < 5; i++) {
      actions.whenClosed(action("a" + i));
    }
    // Netty keeps a lone listener in a field; a second one would make it a list and an array.
    Field one = DefaultPromise.class.getDeclaredField("listener");
    Field many = DefaultPromise.class.getDeclaredField("listeners");
    one.setAccessible(true);
    many.setAccessible(true);
    assertSame(actions, one.get(channel.closeFuture()));
    assertNull(many.get(channel.closeFuture()));
  }
}
