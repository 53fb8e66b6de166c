package io.arbiter.compat.springsaga;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The services the state machine calls (a Spring bean named {@code sagaActions}), recording every call as
 * {@code method:key}. {@code charge} fails as its {@code mode} asks: {@code "refused"} throws the exception the state
 * machine catches (compensation), {@code "unknown-once"} throws one it maps to an unknown outcome the first time for
 * that key and succeeds after.
 */
public class SagaActions {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    public boolean reduceStock(String key) {
        calls.add("reduceStock:" + key);
        return true;
    }

    public boolean restoreStock(String key) {
        calls.add("restoreStock:" + key);
        return true;
    }

    public boolean charge(String key, String mode) {
        boolean firstTime = count("charge", key) == 0;
        calls.add("charge:" + key);
        if ("refused".equals(mode)) {
            throw new IllegalStateException("the account of " + key + " refused the charge");
        }
        if ("unknown-once".equals(mode) && firstTime) {
            throw new UnsupportedOperationException("no answer from the account of " + key);
        }
        return true;
    }

    public boolean refund(String key) {
        calls.add("refund:" + key);
        return true;
    }

    /** How many times {@code method} ran for {@code key}. */
    public long count(String method, String key) {
        return calls.stream().filter((method + ":" + key)::equals).count();
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }
}
