package io.arbiter.server.http.console;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.arbiter.core.view.BranchView;
import io.arbiter.core.view.LockView;
import io.arbiter.core.view.TransactionView;
import java.util.List;

/**
 * The JSON shapes of Seata's console (2.4/2.5: {@code org.apache.seata.common.result.PageResult} / {@code SingleResult}
 * and the {@code GlobalSessionVO}, {@code BranchSessionVO}, {@code GlobalLockVO} of
 * {@code server/.../console/entity/vo}): field names and JSON types as Seata's Jackson writes them. Seata's console
 * registers a serializer that writes every boxed {@code Long} as a JSON string ({@code JacksonConfig
 * .longToStringCustomizer}), so ids, {@code timeout}, {@code beginTime} and the gmt times are strings here too
 * (times in epoch milliseconds); {@code Integer} fields (status, paging) stay numbers. Fields Arbiter does not keep ({@code gmtCreate}, {@code gmtModified},
 * {@code applicationData} of a transaction, {@code resourceGroupId}) are null.
 */
final class SeataShapes {
    private SeataShapes() {}

    /** Seata's {@code PageResult} (with its {@code currPage} getter, which Jackson writes too). */
    @JsonPropertyOrder({"code", "message", "success", "total", "pages", "pageNum", "currPage", "pageSize", "data"})
    record PageResult<T>(
            String code,
            String message,
            boolean success,
            int total,
            int pages,
            int pageNum,
            int currPage,
            int pageSize,
            List<T> data) {
        static <T> PageResult<T> of(List<T> page, int total, int pageNum, int pageSize) {
            int pages = total / pageSize + (total % pageSize == 0 ? 0 : 1);
            return new PageResult<>("200", "success", true, total, pages, pageNum, pageNum, pageSize, page);
        }
    }

    /** Seata's {@code SingleResult}: {@code code} "200" on success, "500" for a refused operation. */
    @JsonPropertyOrder({"code", "message", "success", "data"})
    record SingleResult(String code, String message, boolean success, Object data) {
        static SingleResult ok(Object data) {
            return new SingleResult("200", "success", true, data);
        }

        static SingleResult failure(String message) {
            return new SingleResult("500", message, false, null);
        }
    }

    @JsonPropertyOrder({
        "xid",
        "transactionId",
        "status",
        "applicationId",
        "transactionServiceGroup",
        "transactionName",
        "timeout",
        "beginTime",
        "applicationData",
        "gmtCreate",
        "gmtModified",
        "branchSessionVOs"
    })
    record GlobalSessionVO(
            String xid,
            String transactionId,
            Integer status,
            String applicationId,
            String transactionServiceGroup,
            String transactionName,
            String timeout,
            String beginTime,
            String applicationData,
            String gmtCreate,
            String gmtModified,
            List<BranchSessionVO> branchSessionVOs) {
        static GlobalSessionVO of(TransactionView t, boolean withBranch) {
            List<BranchSessionVO> branches = withBranch
                    ? t.branches().stream().map(b -> BranchSessionVO.of(t, b)).toList()
                    : null;
            return new GlobalSessionVO(
                    t.xid(),
                    String.valueOf(t.transactionId()),
                    t.status(),
                    t.applicationId(),
                    t.serviceGroup(),
                    t.name(),
                    String.valueOf(t.timeoutMillis()),
                    String.valueOf(t.beganAt()),
                    null,
                    null,
                    null,
                    branches);
        }
    }

    @JsonPropertyOrder({
        "xid",
        "transactionId",
        "branchId",
        "resourceGroupId",
        "resourceId",
        "branchType",
        "status",
        "clientId",
        "applicationData",
        "gmtCreate",
        "gmtModified"
    })
    record BranchSessionVO(
            String xid,
            String transactionId,
            String branchId,
            String resourceGroupId,
            String resourceId,
            String branchType,
            Integer status,
            String clientId,
            String applicationData,
            String gmtCreate,
            String gmtModified) {
        static BranchSessionVO of(TransactionView t, BranchView b) {
            return new BranchSessionVO(
                    t.xid(),
                    String.valueOf(t.transactionId()),
                    String.valueOf(b.branchId()),
                    null,
                    b.resourceId(),
                    b.type().name(),
                    b.status(),
                    b.clientId(),
                    b.applicationData(),
                    null,
                    null);
        }
    }

    @JsonPropertyOrder({
        "xid",
        "transactionId",
        "branchId",
        "resourceId",
        "tableName",
        "pk",
        "rowKey",
        "vgroup",
        "gmtCreate",
        "gmtModified"
    })
    record GlobalLockVO(
            String xid,
            String transactionId,
            String branchId,
            String resourceId,
            String tableName,
            String pk,
            String rowKey,
            String vgroup,
            String gmtCreate,
            String gmtModified) {
        static GlobalLockVO of(LockView l) {
            return new GlobalLockVO(
                    l.xid(),
                    String.valueOf(l.transactionId()),
                    String.valueOf(l.branchId()),
                    l.resourceId(),
                    l.tableName(),
                    l.pk(),
                    l.rowKey(),
                    null,
                    null,
                    null);
        }
    }
}
