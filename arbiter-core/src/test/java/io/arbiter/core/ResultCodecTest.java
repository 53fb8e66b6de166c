package io.arbiter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arbiter.core.model.ErrorCode;
import io.arbiter.core.model.GlobalStatus;
import io.arbiter.core.result.Result;
import io.arbiter.core.result.ResultCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultCodecTest {
    @Test
    void everyResultRoundTrips() {
        List<Result> results = List.of(new Result.Began("1.2.3.4:8091:7"), new Result.BranchRegistered(42),
                new Result.Status(GlobalStatus.Committing, true), Result.Status.of(GlobalStatus.Finished),
                new Result.Lockable(false), Result.Done.INSTANCE,
                new Result.Rejected(ErrorCode.LockKeyConflict, "held", GlobalStatus.Begin),
                new Result.Rejected(ErrorCode.GlobalTransactionNotExist, null, null));
        for (Result r : results) {
            assertThat(ResultCodec.decode(ResultCodec.encode(r))).isEqualTo(r);
        }
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> ResultCodec.decode(new byte[] {99})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultCodec.decode(new byte[] {6, 100})).isInstanceOf(IllegalArgumentException.class);
    }
}
