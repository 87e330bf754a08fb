package io.reactivews.core.keepalive;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * One timer for every keepalive on a scheduler with the same interval and timeout: the watched
 * connections wait in a binary heap ordered by when each is next due, and the scheduler holds a
 * single task, for the earliest. When it fires, every connection due by then is looked at, in
 * one batch, and put back for its next turn. A connection thus costs its place in the heap (a
 * slot and two fields of its own) instead of a scheduled task of its own, which on a {@code
 * ScheduledThreadPoolExecutor} is two objects of about 100 bytes together; at 10,000 idle
 * connections that is a megabyte.
 *
 * <p>Each connection is looked at at exactly the time it asked for, as with a task of its own
 * (connections due at the same instant run in the order of the heap). The timer lives while it
 * has connections: the last one to leave takes it out of the registry, and the next arrival
 * makes a new one, so a scheduler that is no longer used (virtual time in tests) is not held.
 *
 * <p>Thread-safe: connections join and leave from any thread; the heap is guarded by this
 * object's lock, which is never held while a connection runs or while a task is scheduled (a
 * virtual-time scheduler may run a task due at once inside {@code schedule}).
 */
final class KeepAliveTimer implements Runnable {

  private static final ConcurrentHashMap<Settings, KeepAliveTimer> TIMERS =
      new ConcurrentHashMap<>();

  /** What the connections of one timer share, so that each need not carry a copy. */
  record Settings(
      Scheduler scheduler, long intervalNanos, long timeoutNanos, boolean staggered) {}

  private static final long NONE = Long.MAX_VALUE;

  private final Settings settings;
  private final Scheduler scheduler;
  /** Silence after which a ping goes, and the wait for a sign of life after it. */
  final long intervalNanos;
  final long timeoutNanos;
  /** Each connection pinged after a silence of its own in the interval's second half. */
  final boolean staggered;

  // Guarded by "this".
  private FluxKeepAlive.KeepAliveSubscriber<?>[] heap =
      new FluxKeepAlive.KeepAliveSubscriber<?>[16];
  private int size;
  /** The task that wakes the timer, for {@link #armedAt}; null when none is pending. */
  private Disposable armed;
  private long armedAt = NONE;
  /** Counts decisions to arm, so that a task scheduled for an outdated decision is dropped. */
  private long arming;
  /** Set when the last connection left; a retired timer takes no one. */
  private boolean retired;

  private KeepAliveTimer(Settings settings) {
    this.settings = settings;
    this.scheduler = settings.scheduler();
    this.intervalNanos = settings.intervalNanos();
    this.timeoutNanos = settings.timeoutNanos();
    this.staggered = settings.staggered();
  }

  /** The timer shared by the keepalives with these settings. */
  static KeepAliveTimer on(Settings settings) {
    return TIMERS.computeIfAbsent(settings, KeepAliveTimer::new);
  }

  /** How many connections wait on the timers of {@code scheduler}; for tests. */
  static int waiting(Scheduler scheduler) {
    int waiting = 0;
    for (KeepAliveTimer timer : TIMERS.values()) {
      if (timer.scheduler == scheduler) {
        synchronized (timer) {
          waiting += timer.size;
        }
      }
    }
    return waiting;
  }

  Settings settings() {
    return settings;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  long now() {
    return scheduler.now(TimeUnit.NANOSECONDS);
  }

  /**
   * Has {@code member} looked at in {@code delayNanos} from now (moving it if it waits already);
   * false if the timer retired meanwhile, and the member should ask the one now current.
   */
  boolean schedule(FluxKeepAlive.KeepAliveSubscriber<?> member, long delayNanos) {
    long now = now();
    long due = now + delayNanos;
    if (due < now) {
      due = NONE - 1; // nanoseconds overflow about 292 years out: as good as never
    }
    long decision;
    synchronized (this) {
      if (member.stopped) {
        return true; // it left for good: nothing to join, here or on a new timer
      }
      if (retired) {
        return false;
      }
      member.due = due;
      if (member.slot < 0) {
        add(member);
      } else {
        siftUp(member.slot);
        siftDown(member.slot);
      }
      if (due >= armedAt) {
        return true;
      }
      armedAt = due;
      decision = ++arming;
    }
    arm(decision, due - now);
    return true;
  }

  /** Takes {@code member} off the timer for good; the last one to leave retires the timer. */
  void remove(FluxKeepAlive.KeepAliveSubscriber<?> member) {
    Disposable idle = null;
    synchronized (this) {
      member.stopped = true;
      if (member.slot >= 0) {
        removeAt(member.slot);
      }
      if (size == 0 && !retired) {
        idle = retire();
      }
    }
    if (idle != null) {
      idle.dispose();
    }
  }

  /** The wake-up: every member due by now runs, and those that want another turn get it. */
  @Override
  public void run() {
    FluxKeepAlive.KeepAliveSubscriber<?>[] due;
    int count = 0;
    synchronized (this) {
      armed = null;
      armedAt = NONE;
      arming++; // a wake-up scheduled but not yet recorded is outdated: this one re-arms
      long now = now();
      due = new FluxKeepAlive.KeepAliveSubscriber<?>[Math.min(size, 64)];
      while (size > 0 && heap[0].due <= now) {
        if (count == due.length) {
          due = Arrays.copyOf(due, count * 2);
        }
        due[count++] = heap[0];
        removeAt(0);
      }
    }
    for (int i = 0; i < count; i++) {
      FluxKeepAlive.KeepAliveSubscriber<?> member = due[i];
      long next = member.expire();
      if (next >= 0) {
        member.schedule(next); // here, or on a new timer if the last member left meanwhile
      } else {
        remove(member);
      }
    }
    rearm();
  }

  /** Arms for the earliest member if no task is pending for it. */
  private void rearm() {
    long decision;
    long delay;
    synchronized (this) {
      if (size == 0 || heap[0].due >= armedAt) {
        return;
      }
      armedAt = heap[0].due;
      decision = ++arming;
      delay = armedAt - now();
    }
    arm(decision, delay);
  }

  /** Schedules the wake-up decided on, outside the lock; keeps it unless outdated meanwhile. */
  private void arm(long decision, long delayNanos) {
    Disposable task;
    try {
      task = scheduler.schedule(this, Math.max(delayNanos, 0), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      failAll(e);
      return;
    }
    Disposable superseded;
    synchronized (this) {
      if (decision != arming) {
        superseded = task; // a later decision armed, or the wake-up already ran
      } else {
        superseded = armed;
        armed = task;
      }
    }
    if (superseded != null) {
      superseded.dispose();
    }
  }

  /** The scheduler refused: no member's timer can run, so each fails as its own would have. */
  private void failAll(RejectedExecutionException e) {
    FluxKeepAlive.KeepAliveSubscriber<?>[] members;
    synchronized (this) {
      members = Arrays.copyOf(heap, size);
      for (FluxKeepAlive.KeepAliveSubscriber<?> member : members) {
        member.slot = -1;
        member.stopped = true;
      }
      Arrays.fill(heap, 0, size, null);
      size = 0;
      Disposable idle = retire();
      if (idle != null) {
        idle.dispose();
      }
    }
    for (FluxKeepAlive.KeepAliveSubscriber<?> member : members) {
      member.rejected(e);
    }
  }

  /** Leaves the registry; returns the pending wake-up to dispose. Holds the lock. */
  private Disposable retire() {
    retired = true;
    TIMERS.remove(settings, this);
    Disposable pending = armed;
    armed = null;
    armedAt = NONE;
    arming++;
    return pending;
  }

  // The binary heap, ordered by due time, each member knowing its slot. Hold the lock.

  private void add(FluxKeepAlive.KeepAliveSubscriber<?> member) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = member;
    member.slot = size;
    siftUp(size++);
  }

  private void removeAt(int slot) {
    FluxKeepAlive.KeepAliveSubscriber<?> removed = heap[slot];
    removed.slot = -1;
    int last = --size;
    if (slot != last) {
      place(heap[last], slot);
      heap[last] = null;
      siftUp(slot);
      siftDown(heap[slot].slot);
    } else {
      heap[last] = null;
    }
    if (heap.length > 16 && size < heap.length / 4) {
      heap = Arrays.copyOf(heap, heap.length / 2); // give memory back after a wave of closes
    }
  }

  private void siftUp(int slot) {
    FluxKeepAlive.KeepAliveSubscriber<?> member = heap[slot];
    while (slot > 0) {
      int parent = (slot - 1) >>> 1;
      if (heap[parent].due <= member.due) {
        break;
      }
      place(heap[parent], slot);
      slot = parent;
    }
    place(member, slot);
  }

  private void siftDown(int slot) {
    FluxKeepAlive.KeepAliveSubscriber<?> member = heap[slot];
    int half = size >>> 1;
    while (slot < half) {
      int child = 2 * slot + 1;
      int right = child + 1;
      if (right < size && heap[right].due < heap[child].due) {
        child = right;
      }
      if (member.due <= heap[child].due) {
        break;
      }
      place(heap[child], slot);
      slot = child;
    }
    place(member, slot);
  }

  private void place(FluxKeepAlive.KeepAliveSubscriber<?> member, int slot) {
    heap[slot] = member;
    member.slot = slot;
  }
}
