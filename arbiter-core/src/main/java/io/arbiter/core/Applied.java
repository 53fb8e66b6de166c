package io.arbiter.core;

import io.arbiter.core.result.Effect;
import io.arbiter.core.result.Result;
import java.util.List;

/** The outcome of applying one command: the answer for the proposer and the effects for the leader. */
public record Applied(Result result, List<Effect> effects) {
    public Applied {
        effects = List.copyOf(effects);
    }
}
