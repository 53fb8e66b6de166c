package io.arbiter.compat.springboot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** Every phase the payment participant was called for, as {@code phase:payment}, in order. */
@Component
public class PaymentLedger {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    void record(String phase, Object payment) {
        calls.add(phase + ":" + payment);
    }

    /** How many times {@code phase} ran for {@code payment}. */
    public long count(String phase, String payment) {
        return calls.stream().filter((phase + ":" + payment)::equals).count();
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }
}
