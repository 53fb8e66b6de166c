package io.arbiter.compat.springboot;

import org.apache.seata.core.context.RootContext;
import org.apache.seata.spring.annotation.GlobalLock;
import org.apache.seata.spring.annotation.GlobalTransactional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** The business methods: an AT sale on the shop's database, and an order that also calls a TCC participant. */
@Service
public class ShopService {
    private final JdbcTemplate jdbc;
    private final Payments payments;

    public ShopService(JdbcTemplate jdbc, Payments payments) {
        this.jdbc = jdbc;
        this.payments = payments;
    }

    /**
     * Takes {@code units} of {@code item} and records the order (one AT branch); throws after both writes when
     * {@code fail}, so that the global transaction rolls back.
     *
     * @return the transaction's XID
     */
    @GlobalTransactional(name = "spring-sell", timeoutMills = 60_000)
    public String sell(long orderId, int item, int units, boolean fail) {
        String xid = RootContext.getXID();
        int updated = jdbc.update("UPDATE stock SET qty = qty - ? WHERE id = ? AND qty >= ?", units, item, units);
        if (updated != 1) {
            throw new IllegalStateException("item " + item + " is out of stock");
        }
        jdbc.update("INSERT INTO orders (id, xid, item, units) VALUES (?, ?, ?, ?)", orderId, xid, item, units);
        if (fail) {
            throw new IllegalStateException("the application failed after selling (order " + orderId + ")");
        }
        return xid;
    }

    /** A sale (AT) and a payment (TCC) in one global transaction; throws at the end when {@code fail}. */
    @GlobalTransactional(name = "spring-order", timeoutMills = 60_000)
    public String order(long orderId, int item, int units, boolean fail) {
        String xid = RootContext.getXID();
        jdbc.update("UPDATE stock SET qty = qty - ? WHERE id = ?", units, item);
        jdbc.update("INSERT INTO orders (id, xid, item, units) VALUES (?, ?, ?, ?)", orderId, xid, item, units);
        payments.reserve(null, "order-" + orderId);
        if (fail) {
            throw new IllegalStateException("the application failed after paying (order " + orderId + ")");
        }
        return xid;
    }

    /**
     * A sale that fails: takes the units, runs {@code beforeFailing} while the row is written and the transaction
     * open, then throws, so that the global transaction rolls the row back.
     */
    @GlobalTransactional(name = "spring-sell-slowly", timeoutMills = 60_000)
    public void sellThenFail(int item, int units, Runnable beforeFailing) {
        jdbc.update("UPDATE stock SET qty = qty - ? WHERE id = ?", units, item);
        beforeFailing.run();
        throw new IllegalStateException("the application failed after a slow sale of item " + item);
    }

    /**
     * Adds units outside any global transaction, but not over a global transaction's uncommitted write: the AT
     * proxy asks the coordinator whether the row is locked before the local commit, and retries while it is.
     */
    @GlobalLock
    public void restock(int item, int units) {
        jdbc.update("UPDATE stock SET qty = qty + ? WHERE id = ?", units, item);
    }
}
