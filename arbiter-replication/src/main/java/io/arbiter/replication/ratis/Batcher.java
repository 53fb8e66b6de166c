package io.arbiter.replication.ratis;

import io.arbiter.replication.ReplicationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit at the command level: proposals queue here and one thread packs up to {@code maxCommands} of them
 * (and at most {@link #MAX_ENTRY_BYTES} of command bytes) into each batch, keeping at most {@code maxOutstanding}
 * batches in flight. While the window is full, new proposals accumulate, so batches grow with load by themselves.
 *
 * <p>Threading: {@link #offer} from any thread; the {@link Sink} is called on the batcher thread and must call
 * {@link #release()} exactly once per batch, when the batch's fate is known (from any thread).
 */
final class Batcher implements AutoCloseable {

  /** Upper bound of the command bytes packed into one entry (Ratis's default entry limit is 4 MiB). */
  static final int MAX_ENTRY_BYTES = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

  /** A queued proposal. */
  record Proposal(byte[] command, CompletableFuture<byte[]> future) {}

  /** Receives each packed batch on the batcher thread. */
  interface Sink {
    void submit(List<Proposal> batch);
  }

  private final int maxCommands;
  private final Semaphore window;
  private final LinkedBlockingQueue<Proposal> queue;
  private final Sink sink;
  private final Thread thread;
  private volatile boolean closed;

  Batcher(String name, int maxCommands, int maxOutstanding, int queueCapacity, Sink sink) {
    this.maxCommands = maxCommands;
    this.window = new Semaphore(maxOutstanding);
    this.queue = new LinkedBlockingQueue<>(queueCapacity);
    this.sink = sink;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues a proposal; {@code false} when the queue is full. */
  boolean offer(Proposal p) {
    if (closed) {
      return false;
    }
    boolean queued = queue.offer(p);
    if (queued && closed) {
      failQueued(); // close() may have drained before this offer
    }
    return queued;
  }

  /** One batch handed to the sink has completed, successfully or not. */
  void release() {
    window.release();
  }

  private void run() {
    List<Proposal> batch = new ArrayList<>(maxCommands);
    Proposal carry = null;
    try {
      while (!closed) {
        window.acquire();
        Proposal first = carry != null ? carry : queue.take();
        carry = null;
        batch.add(first);
        long bytes = first.command().length;
        Proposal next;
        while (batch.size() < maxCommands && (next = queue.poll()) != null) {
          if (bytes + next.command().length > MAX_ENTRY_BYTES) {
            carry = next;
            break;
          }
          batch.add(next);
          bytes += next.command().length;
        }
        List<Proposal> packed = List.copyOf(batch);
        batch.clear();
        try {
          sink.submit(packed);
        } catch (RuntimeException e) {
          LOG.error("submitting a batch of {} commands failed", packed.size(), e);
          window.release();
          ReplicationException failure =
              new ReplicationException(ReplicationException.Reason.FAILED, "submitting the entry failed", e);
          packed.forEach(p -> p.future().completeExceptionally(failure));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    } finally {
      if (carry != null) {
        carry.future().completeExceptionally(closedException());
      }
      batch.forEach(p -> p.future().completeExceptionally(closedException()));
    }
  }

  /** Stops the batcher thread and fails everything still queued. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued();
  }

  private void failQueued() {
    for (Proposal p; (p = queue.poll()) != null; ) {
      p.future().completeExceptionally(closedException());
    }
  }

  private static ReplicationException closedException() {
    return new ReplicationException(ReplicationException.Reason.CLOSED, "replica group closed");
  }
}
