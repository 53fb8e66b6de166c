package io.arbiter.server.http.console;

import io.arbiter.core.view.LockFilter;
import io.arbiter.core.view.TransactionFilter;
import io.arbiter.server.http.metadata.ApiException;
import java.util.Map;

/**
 * The console's request parameters, checked: paging ({@code pageNum} ≥ 1, {@code pageSize} 1–{@value #MAX_PAGE_SIZE},
 * {@code pageNum × pageSize} ≤ {@value #MAX_WINDOW}; absent: page 1 of {@value #DEFAULT_PAGE_SIZE}), filters, XIDs and branch ids. A bad value is an
 * {@link ApiException} 400 naming the parameter.
 */
final class ConsoleParams {
    static final int MAX_PAGE_SIZE = 1_000;
    static final int MAX_WINDOW = 10_000;
    static final int DEFAULT_PAGE_SIZE = 20;

    private final Map<String, String> params;

    ConsoleParams(Map<String, String> params) {
        this.params = params;
    }

    /**
     * Seata's paging: absent values default to page 1 of 20 (as Seata's db store does, {@code PageResult.checkPage});
     * present ones must be positive numbers (Seata's file and raft stores answer "wrong pageSize or pageNum").
     */
    Paging paging() {
        int pageNum = positiveInt("pageNum", 1);
        int pageSize = positiveInt("pageSize", DEFAULT_PAGE_SIZE);
        if (pageSize > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("'pageSize' must be at most " + MAX_PAGE_SIZE + ", got " + pageSize);
        }
        if ((long) pageNum * pageSize > MAX_WINDOW) {
            throw ApiException.badRequest("pageNum × pageSize must be at most " + MAX_WINDOW
                    + " (narrow the filters instead of paging that far)");
        }
        return new Paging(pageNum, pageSize);
    }

    record Paging(int pageNum, int pageSize) {
        int window() {
            return pageNum * pageSize;
        }
    }

    TransactionFilter transactionFilter() {
        String status = text("status");
        int statusCode = -1;
        if (status != null) {
            statusCode = parseInt("status", status);
            if (statusCode < 0 || statusCode > 20) {
                throw ApiException.badRequest("'status' must be a Seata global status code (0–20), got " + status);
            }
        }
        return new TransactionFilter(
                text("xid"),
                text("applicationId"),
                statusCode,
                text("transactionName"),
                time("timeStart", Long.MIN_VALUE),
                time("timeEnd", Long.MAX_VALUE),
                bool("withBranch"));
    }

    LockFilter lockFilter() {
        return new LockFilter(
                text("xid"),
                text("transactionId"),
                text("branchId"),
                text("resourceId"),
                text("tableName"),
                text("pk"),
                time("timeStart", Long.MIN_VALUE),
                time("timeEnd", Long.MAX_VALUE));
    }

    /** A required XID of the form {@code host:port:transactionId}. */
    String xid() {
        String xid = text("xid");
        if (xid == null) {
            throw ApiException.badRequest("'xid' is required (Wrong parameter for xid)");
        }
        int colon = xid.lastIndexOf(':');
        if (colon <= 0 || !xid.substring(colon + 1).chars().allMatch(Character::isDigit) || colon == xid.length() - 1) {
            throw ApiException.badRequest("'xid' must be host:port:transactionId, got '" + xid + "'");
        }
        return xid;
    }

    /** A required branch id (a positive number). */
    long branchId() {
        String text = text("branchId");
        if (text == null) {
            throw ApiException.badRequest("'branchId' is required (Wrong parameter for branchId)");
        }
        try {
            long id = Long.parseLong(text);
            if (id <= 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "'branchId' must be a positive number (branch Id is not number), got '" + text + "'");
        }
    }

    /** A required non-blank text parameter. */
    String required(String name) {
        String value = text(name);
        if (value == null) {
            throw ApiException.badRequest("'" + name + "' is required");
        }
        return value;
    }

    /** An optional positive int with a default and an upper bound. */
    int optionalInt(String name, int fallback, int max) {
        String text = text(name);
        if (text == null) {
            return fallback;
        }
        int value = parseInt(name, text);
        if (value <= 0 || value > max) {
            throw ApiException.badRequest("'" + name + "' must be in 1–" + max + ", got " + text);
        }
        return value;
    }

    /** A non-blank parameter, trimmed; null if absent or blank. */
    String text(String name) {
        String value = params.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private int positiveInt(String name, int fallback) {
        String text = text(name);
        if (text == null) {
            return fallback;
        }
        int value = parseInt(name, text);
        if (value <= 0) {
            throw ApiException.badRequest("'" + name + "' must be positive (wrong pageSize or pageNum), got " + text);
        }
        return value;
    }

    private long time(String name, long fallback) {
        String text = text(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be epoch milliseconds, got '" + text + "'");
        }
    }

    private boolean bool(String name) {
        String text = text(name);
        if (text == null) {
            return false;
        }
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw ApiException.badRequest("'" + name + "' must be true or false, got '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private static int parseInt(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a number, got '" + text + "'");
        }
    }
}
