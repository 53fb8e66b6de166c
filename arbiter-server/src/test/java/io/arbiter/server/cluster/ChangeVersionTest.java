package io.arbiter.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChangeVersionTest {
    @Test
    void aWaiterWakesOnceTheVersionPassesWhatItKnew() {
        ChangeVersion v = new ChangeVersion();
        CompletableFuture<Void> atZero = v.after(0);
        CompletableFuture<Void> atOne = v.after(1);
        assertThat(v.after(-1)).isDone();
        assertThat(atZero).isNotDone();

        v.bump(); // 1

        assertThat(atZero).isDone();
        assertThat(atOne).isNotDone();
        v.bump(); // 2
        assertThat(atOne).isDone();
        assertThat(v.get()).isEqualTo(2);
        assertThat(v.after(1)).isDone();
        assertThat(v.after(2)).isNotDone();
    }
}
