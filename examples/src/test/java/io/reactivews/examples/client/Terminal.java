package io.reactivews.examples.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A terminal for {@link ClientCli} in process: a keyboard (its standard input, a pipe the test
 * types into) and two screens (standard output and error) whose lines the test can wait for.
 */
final class Terminal implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final PipedOutputStream keyboard = new PipedOutputStream();
  private final PipedInputStream stdin;
  private final Screen out = new Screen();
  private final Screen err = new Screen();
  private CompletableFuture<Integer> exit;

  Terminal() throws IOException {
    stdin = new PipedInputStream(keyboard, 1 << 16);
  }

  /** Starts the client with {@code args} on its own thread. */
  Terminal start(String... args) {
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    exit = CompletableFuture.supplyAsync(() -> ClientCli.run(args, stdin, outStream, errStream));
    return this;
  }

  /** Types lines, each followed by Enter. */
  Terminal type(String... lines) throws IOException {
    for (String line : lines) {
      keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    keyboard.flush();
    return this;
  }

  /** Ends the input, as Ctrl-D does. */
  Terminal endInput() throws IOException {
    keyboard.close();
    return this;
  }

  /** The exit code; fails if the client is still running after a while. */
  int exitCode() throws Exception {
    return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  Screen out() {
    return out;
  }

  Screen err() {
    return err;
  }

  @Override
  public void close() throws IOException {
    keyboard.close();
  }

  /** What a program wrote, as lines; waiting reads them in order, like a person would. */
  static final class Screen extends OutputStream {

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    // Guarded by "this".
    private final List<String> lines = new ArrayList<>();
    private int read;

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
        notifyAll();
      } else {
        partial.write(b);
      }
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    /** Waits for the next line that {@code matches}, after the last one waited for. */
    synchronized String await(Predicate<String> matches) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        for (; read < lines.size(); read++) {
          if (matches.test(lines.get(read))) {
            return lines.get(read++);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no such line within " + WAIT + "; lines: " + lines);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    @Override
    public synchronized String toString() {
      return String.join("\n", lines) + (partial.size() > 0 ? "\n" + partial : "");
    }
  }
}
