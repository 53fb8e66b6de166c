package io.arbiter.server.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.CoordinatorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The begin gate a retired fragment closes: once {@link Fragment#takesBegins} reads false and
 * {@link Fragment#beginsInFlight} then reads zero, no begin can start in it any more (what the drop of an empty
 * retired fragment relies on), with begins racing the retirement on other threads.
 */
class FragmentBeginGateTest {

    @Test
    void aBeginIsCountedOnlyWhileTheFragmentTakesBegins() {
        AtomicBoolean open = new AtomicBoolean(true);
        Fragment f = new Fragment(3, CoordinatorSettings.defaults());
        f.takesBeginsWhile(open::get);

        assertThat(f.beginStarted()).isTrue();
        assertThat(f.beginsInFlight()).isEqualTo(1);
        open.set(false);
        assertThat(f.beginStarted()).as("retired").isFalse();
        assertThat(f.beginsInFlight()).as("the refused begin is not counted").isEqualTo(1);
        f.beginEnded();
        assertThat(f.beginsInFlight()).isZero();
    }

    @Test
    void noBeginStartsAfterTheDropSawTheFragmentRetiredAndIdle() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicBoolean open = new AtomicBoolean(true);
            Fragment f = new Fragment(3, CoordinatorSettings.defaults());
            f.takesBeginsWhile(open::get);
            AtomicBoolean dropped = new AtomicBoolean();
            AtomicInteger startedAfterDrop = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 2_000; i++) {
                        if (f.beginStarted()) {
                            if (dropped.get()) {
                                startedAfterDrop.incrementAndGet();
                            }
                            f.beginEnded();
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            open.set(false); // the map retires the fragment
            while (f.beginsInFlight() != 0) {
                Thread.onSpinWait();
            }
            dropped.set(true); // the drop's check passed: retired, then nothing in flight
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(startedAfterDrop).as("round %d", round).hasValue(0);
        }
    }
}
