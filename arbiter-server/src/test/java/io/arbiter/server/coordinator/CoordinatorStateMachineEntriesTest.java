package io.arbiter.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.core.Applied;
import io.arbiter.core.CoordinatorSettings;
import io.arbiter.core.command.Command;
import io.arbiter.core.command.CommandCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoordinatorStateMachineEntriesTest {

    @Test
    void commandsThatShareALogIndexAreOneEntry() {
        CoordinatorStateMachine sm = new CoordinatorStateMachine(0, CoordinatorSettings.defaults(), effects -> {});
        List<String> seen = new ArrayList<>();
        sm.observe(new CoordinatorObserver() {
            @Override
            public void entryStarted(boolean leader) {
                seen.add("entry");
            }

            @Override
            public void applied(Command command, Applied applied, int liveChange, boolean leader, long nanos) {
                seen.add("command");
            }
        });
        byte[] tick = CommandCodec.encode(new Command.Tick(1_000));
        sm.apply(5, tick);
        sm.apply(5, tick);
        sm.apply(5, tick);
        sm.apply(6, tick);
        sm.apply(8, tick);
        sm.apply(8, tick);

        assertThat(seen)
                .containsExactly(
                        "entry", "command", "command", "command", "entry", "command", "entry", "command", "command");
    }
}
