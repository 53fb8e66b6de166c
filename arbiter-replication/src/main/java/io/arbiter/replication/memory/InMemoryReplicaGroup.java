package io.arbiter.replication.memory;

import io.arbiter.replication.NotLeaderException;
import io.arbiter.replication.ReplicaGroup;
import io.arbiter.replication.ReplicatedStateMachine;
import io.arbiter.replication.ReplicationException;
import io.arbiter.replication.ReplicationException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A single replica that applies each proposed command on one apply thread, in proposal order, with its own log
 * index (one command per index: no batching). It is the leader from {@link #start()} on, in term 1, unless a test
 * moves leadership with {@link #stepDown} and {@link #becomeLeader}. {@link #snapshot()} and {@link #restore} let
 * tests round-trip a state machine's snapshot. Nothing is persisted.
 */
public final class InMemoryReplicaGroup implements ReplicaGroup {

  private final String selfId;
  private final ReplicatedStateMachine stateMachine;
  private final ExecutorService applyThread;
  private final ExecutorService completer;
  private volatile boolean started;
  private volatile boolean closed;
  private volatile boolean leader;
  private volatile String otherLeader;
  private long term;
  private long index;

  public InMemoryReplicaGroup(String selfId, ReplicatedStateMachine stateMachine) {
    this.selfId = Objects.requireNonNull(selfId, "selfId");
    this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
    this.applyThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "arbiter-apply-memory-" + selfId);
      t.setDaemon(true);
      return t;
    });
    this.completer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "arbiter-complete-memory-" + selfId);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    becomeLeader();
  }

  @Override
  public CompletableFuture<byte[]> propose(byte[] command) {
    Objects.requireNonNull(command, "command");
    if (!started || closed) {
      return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "not running"));
    }
    if (!leader) {
      return CompletableFuture.failedFuture(new NotLeaderException(otherLeader));
    }
    byte[] copy = command.clone();
    try {
      CompletableFuture<byte[]> result = new CompletableFuture<>();
      CompletableFuture.supplyAsync(() -> stateMachine.apply(++index, copy), applyThread)
          .whenCompleteAsync((r, e) -> {
            if (e == null) {
              result.complete(r);
            } else {
              result.completeExceptionally(failure(e));
            }
          }, completer);
      return result;
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new ReplicationException(Reason.CLOSED, "closed"));
    }
  }

  private static ReplicationException failure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return new ReplicationException(Reason.FAILED, "state machine failed to apply", cause);
  }

  @Override
  public boolean isLeader() {
    return started && !closed && leader;
  }

  @Override
  public Optional<String> leaderId() {
    return leader ? Optional.of(selfId) : Optional.ofNullable(otherLeader);
  }

  /** Test hook: this replica loses leadership; proposals fail with {@code NotLeaderException(hint)}. */
  public void stepDown(String leaderHint) {
    leader = false;
    otherLeader = leaderHint;
    onApplyThread(() -> stateMachine.onRoleChange(false, term));
  }

  /** Test hook: this replica becomes leader in the next term. */
  public void becomeLeader() {
    otherLeader = null;
    onApplyThread(() -> stateMachine.onRoleChange(true, ++term));
    leader = true;
  }

  /** Captures a snapshot on the apply thread and writes it (here, on the caller's thread) to bytes. */
  public byte[] snapshot() {
    var writer = onApplyThread(stateMachine::snapshot);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Replaces the state machine's state from {@code snapshot} on the apply thread. */
  public void restore(byte[] snapshot) {
    onApplyThread(() -> {
      try {
        stateMachine.restore(new ByteArrayInputStream(snapshot));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The log index of the last applied command. */
  public long lastIndex() {
    return onApplyThread(() -> index);
  }

  private void onApplyThread(Runnable task) {
    onApplyThread(() -> {
      task.run();
      return null;
    });
  }

  private <T> T onApplyThread(Supplier<T> task) {
    try {
      return CompletableFuture.supplyAsync(task, applyThread).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (leader && started) {
      leader = false;
      onApplyThread(() -> stateMachine.onRoleChange(false, term));
    }
    applyThread.shutdown();
    try {
      applyThread.awaitTermination(5, TimeUnit.SECONDS);
      completer.shutdown();
      completer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
