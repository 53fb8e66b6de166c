package io.arbiter.microbench;

import io.arbiter.protocol.BranchStatus;
import io.arbiter.protocol.BranchType;
import io.arbiter.protocol.ClientVersion;
import io.arbiter.protocol.GlobalStatus;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.TransactionExceptionCode;
import io.arbiter.protocol.codec.SeataCodec;
import io.arbiter.protocol.message.BranchCommitRequest;
import io.arbiter.protocol.message.BranchCommitResponse;
import io.arbiter.protocol.message.BranchRegisterRequest;
import io.arbiter.protocol.message.BranchRegisterResponse;
import io.arbiter.protocol.message.BranchReportRequest;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.GlobalLockQueryRequest;
import io.arbiter.protocol.message.MergedWarpMessage;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Encode and decode cost of the seata codec, per message type (ns per message). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    private static final String XID = "192.168.10.20:8091:2814749767106561";
    private static final Map<String, SeataMessage> MESSAGES = Map.ofEntries(
            Map.entry("GlobalBeginRequest", new GlobalBeginRequest(60_000, "com.example.OrderService.place(Order)")),
            Map.entry("GlobalBeginResponse", GlobalBeginResponse.success(XID)),
            Map.entry("GlobalCommitRequest", new GlobalCommitRequest(XID)),
            Map.entry("GlobalCommitResponse", GlobalCommitResponse.success(GlobalStatus.Committed)),
            Map.entry(
                    "BranchRegisterRequest",
                    new BranchRegisterRequest(
                            XID,
                            BranchType.AT,
                            "jdbc:postgresql://db:5432/inventory",
                            "stock:10001,10002",
                            "{\"autoCommit\":false}")),
            Map.entry("BranchRegisterResponse", BranchRegisterResponse.success(2814749767106562L)),
            Map.entry(
                    "BranchReportRequest",
                    new BranchReportRequest(
                            XID,
                            2814749767106562L,
                            BranchStatus.PhaseOne_Done,
                            "jdbc:postgresql://db:5432/inventory",
                            null,
                            BranchType.AT)),
            Map.entry(
                    "GlobalLockQueryRequest",
                    new GlobalLockQueryRequest(
                            null, BranchType.AT, "jdbc:postgresql://db:5432/inventory", "stock:10001", null)),
            Map.entry(
                    "BranchCommitRequest",
                    new BranchCommitRequest(
                            XID,
                            2814749767106562L,
                            BranchType.TCC,
                            "orderTcc",
                            "{\"actionContext\":{\"orderId\":42}}")),
            Map.entry(
                    "BranchCommitResponse",
                    new BranchCommitResponse(
                            ResultCode.Success,
                            TransactionExceptionCode.Unknown,
                            null,
                            XID,
                            2814749767106562L,
                            BranchStatus.PhaseTwo_Committed)),
            Map.entry(
                    "MergedWarpMessage4",
                    new MergedWarpMessage(
                            List.of(
                                    new BranchRegisterRequest(XID, BranchType.AT, "jdbc:pg", "stock:1", null),
                                    new BranchRegisterRequest(XID, BranchType.AT, "jdbc:pg", "stock:2", null),
                                    new BranchRegisterRequest(XID, BranchType.AT, "jdbc:pg", "stock:3", null),
                                    new BranchRegisterRequest(XID, BranchType.AT, "jdbc:pg", "stock:4", null)),
                            List.of(1, 2, 3, 4))));

    @Param({
        "GlobalBeginRequest", "GlobalBeginResponse", "GlobalCommitRequest", "GlobalCommitResponse",
        "BranchRegisterRequest", "BranchRegisterResponse", "BranchReportRequest", "GlobalLockQueryRequest",
        "BranchCommitRequest", "BranchCommitResponse", "MergedWarpMessage4"
    })
    public String type;

    private SeataMessage message;
    private ByteBuf encoded;
    private ByteBuf scratch;

    @Setup
    public void setUp() {
        message = MESSAGES.get(type);
        encoded = PooledByteBufAllocator.DEFAULT.buffer(512);
        SeataCodec.encode(message, encoded, ClientVersion.LATEST);
        scratch = PooledByteBufAllocator.DEFAULT.buffer(512);
    }

    @TearDown
    public void tearDown() {
        encoded.release();
        scratch.release();
    }

    @Benchmark
    public int encode() {
        scratch.clear();
        SeataCodec.encode(message, scratch, ClientVersion.LATEST);
        return scratch.writerIndex();
    }

    @Benchmark
    public SeataMessage decode() {
        encoded.readerIndex(0);
        return SeataCodec.decode(encoded, ClientVersion.LATEST);
    }
}
