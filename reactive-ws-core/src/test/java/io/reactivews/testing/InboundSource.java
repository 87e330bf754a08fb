package io.reactivews.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * A stand-in for Reactor Netty's inbound bytes: a {@code Flux<ByteBuf>} that lends each read to
 * its subscriber and takes it back as soon as {@code onNext} returns.
 *
 * <p>Like the real thing it emits only on demand, one buffer per read, each from {@link
 * PooledByteBufAllocator} (direct or heap), and releases the buffer right after {@code onNext}
 * returns; on cancel it releases the reads it did not emit. Stricter than the real thing, so that
 * a reader that breaks the borrowing contract fails loudly:
 *
 * <ul>
 *   <li>each read's readable bytes start a few bytes into the buffer, after junk, so a reader
 *       that assumes index 0 reads the junk;
 *   <li>after {@code onNext} returns, the bytes are overwritten before the buffer is released,
 *       so a reader that kept a view of them (a slice, a duplicate) sees garbage;
 *   <li>a reader that released or retained a buffer during {@code onNext} is recorded, and
 *       {@link #assertClean()} reports it.
 * </ul>
 *
 * <pre>{@code
 * InboundSource source = InboundSource.of(Memory.DIRECT, chop.reads());
 * Outcome<Frame> outcome = Outcome.of(source.flux().transform(FrameDecoder.forRole(SERVER)));
 * source.assertClean();   // every buffer released exactly once, none touched by the reader
 * }</pre>
 *
 * <p>Buffers are allocated when the flux is subscribed; a source serves one subscription.
 * Emission happens on the thread that requests, re-entrantly safe; counters may be read from any
 * thread.
 */
public final class InboundSource {

  /** Where the buffers live. */
  public enum Memory {
    DIRECT,
    HEAP
  }

  /** How the source ends once its reads are emitted. */
  private enum End {
    COMPLETE,
    ERROR,
    NEVER
  }

  private static final int JUNK = 3;
  private static final byte POISON = (byte) 0xEE;

  private final Memory memory;
  private final List<byte[]> reads;
  private final End end;
  private final Throwable error;
  /** The reader may keep slices of a read (a decoder that pools frames): not a violation. */
  private volatile boolean mayRetain;

  private final List<ByteBuf> allocated = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicLong requested = new AtomicLong();
  private final AtomicInteger emitted = new AtomicInteger();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private volatile boolean cancelled;
  private volatile boolean terminated;

  private InboundSource(Memory memory, List<byte[]> reads, End end, Throwable error) {
    this.memory = memory;
    this.reads = reads;
    this.end = end;
    this.error = error;
  }

  /** A source that emits {@code reads}, one buffer each, and then completes. */
  public static InboundSource of(Memory memory, List<byte[]> reads) {
    List<byte[]> copies = new ArrayList<>(reads.size());
    for (byte[] read : reads) {
      copies.add(read.clone());
    }
    return new InboundSource(
        Objects.requireNonNull(memory), List.copyOf(copies), End.COMPLETE, null);
  }

  /** A source that emits {@code reads}, one buffer each, and then completes. */
  public static InboundSource of(Memory memory, byte[]... reads) {
    return of(memory, List.of(reads));
  }

  /** A fresh source with the same reads that fails with {@code failure} after the last one. */
  public InboundSource endingWith(Throwable failure) {
    return new InboundSource(memory, reads, End.ERROR, Objects.requireNonNull(failure));
  }

  /** A fresh source with the same reads that neither completes nor fails: the peer went quiet. */
  public InboundSource leftOpen() {
    return new InboundSource(memory, reads, End.NEVER, null);
  }

  /**
   * Lets the reader keep retained slices of a read, as a decoder that pools frames does: such a
   * read is not poisoned, and {@link #assertClean()} then also asks that the reader released
   * them. Returns this source.
   */
  public InboundSource lettingReaderRetain() {
    mayRetain = true;
    return this;
  }

  /** The flux to subscribe to, once. */
  public Flux<ByteBuf> flux() {
    return new Flux<>() {
      @Override
      public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        if (subscriptions.getAndIncrement() != 0) {
          Operators.error(
              actual, new IllegalStateException("an InboundSource serves one subscriber"));
          return;
        }
        new Lending(actual).start();
      }
    };
  }

  /** Total demand the subscriber signalled, capped at {@code Long.MAX_VALUE}. */
  public long requested() {
    return requested.get();
  }

  /** How many reads have been handed to the subscriber. */
  public int emitted() {
    return emitted.get();
  }

  /** How many reads the source holds in all. */
  public int reads() {
    return reads.size();
  }

  /** Whether the subscriber cancelled. */
  public boolean isCancelled() {
    return cancelled;
  }

  /** Whether the source signalled completion or its error. */
  public boolean isTerminated() {
    return terminated;
  }

  /** What the subscriber did wrong with borrowed buffers, if anything. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /**
   * Asserts the source is done with every buffer: each one allocated has been released (refCnt
   * 0), and the subscriber neither released nor retained any during {@code onNext}. Call it once
   * the stream has ended, completed, failed or cancelled; a source left open still holds the
   * reads it has not emitted.
   */
  public void assertClean() {
    if (!violations.isEmpty()) {
      throw new AssertionError("borrowed buffers mishandled: " + violations);
    }
    for (int i = 0; i < allocated.size(); i++) {
      int refCnt = allocated.get(i).refCnt();
      if (refCnt != 0) {
        throw new AssertionError("read " + i + " still has refCnt " + refCnt
            + " (emitted " + emitted() + " of " + reads.size() + ", cancelled " + cancelled
            + ", terminated " + terminated + ")");
      }
    }
  }

  /** Releases what a source left open still holds; for tests that end such a source by hand. */
  public void releaseUnemitted() {
    for (int i = emitted(); i < allocated.size(); i++) {
      ByteBuf buf = allocated.get(i);
      if (buf.refCnt() > 0) {
        buf.release();
      }
    }
  }

  private ByteBuf allocate(byte[] read) {
    int capacity = JUNK + read.length + JUNK;
    ByteBuf buf = memory == Memory.DIRECT
        ? PooledByteBufAllocator.DEFAULT.directBuffer(capacity)
        : PooledByteBufAllocator.DEFAULT.heapBuffer(capacity);
    for (int i = 0; i < JUNK; i++) {
      buf.writeByte(POISON);
    }
    buf.writeBytes(read);
    buf.readerIndex(JUNK);
    // Junk after the writer index too, for readers that read past it.
    buf.setByte(buf.writerIndex(), POISON);
    return buf;
  }

  /** One subscription: emits on demand, with a work-in-progress counter against re-entry. */
  private final class Lending implements Subscription {

    private final CoreSubscriber<? super ByteBuf> actual;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong demand = new AtomicLong();
    private int next;

    Lending(CoreSubscriber<? super ByteBuf> actual) {
      this.actual = actual;
    }

    void start() {
      for (byte[] read : reads) {
        allocated.add(allocate(read));
      }
      actual.onSubscribe(this);
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        violations.add("request(" + n + ")");
        return;
      }
      requested.accumulateAndGet(n, Operators::addCap);
      demand.accumulateAndGet(n, Operators::addCap);
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      drain();
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      for (; ; ) {
        while (!cancelled && !terminated && next < allocated.size() && demand.get() > 0) {
          ByteBuf buf = allocated.get(next);
          int index = next++;
          demand.decrementAndGet();
          emitted.incrementAndGet();
          lend(buf, index);
        }
        if (cancelled) {
          releaseFrom(next);
          next = allocated.size();
        } else if (!terminated && next == allocated.size() && end != End.NEVER) {
          terminated = true;
          if (end == End.ERROR) {
            actual.onError(error);
          } else {
            actual.onComplete();
          }
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }

    private void lend(ByteBuf buf, int index) {
      int readerIndex = buf.readerIndex();
      int writerIndex = buf.writerIndex();
      try {
        actual.onNext(buf);
      } finally {
        int refCnt = buf.refCnt();
        if (refCnt == 1) {
          // One bulk write: with paranoid leak detection every buffer access records a trace.
          byte[] poison = new byte[writerIndex - readerIndex];
          java.util.Arrays.fill(poison, POISON);
          buf.setBytes(readerIndex, poison);
          buf.release();
        } else if (refCnt == 0) {
          violations.add("read " + index + " was released by the subscriber during onNext");
        } else if (mayRetain) {
          buf.release(); // a pooling reader kept slices: they release the rest, unpoisoned
        } else {
          violations.add(
              "read " + index + " was retained by the subscriber (refCnt " + refCnt + ")");
          buf.release();
        }
      }
    }

    private void releaseFrom(int first) {
      for (int i = first; i < allocated.size(); i++) {
        ByteBuf buf = allocated.get(i);
        if (buf.refCnt() > 0) {
          buf.release();
        }
      }
    }
  }
}
