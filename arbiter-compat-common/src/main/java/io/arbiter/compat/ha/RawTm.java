package io.arbiter.compat.ha;

import io.arbiter.compat.client.ClientSettings;
import io.arbiter.protocol.ResultCode;
import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.frame.MessageKind;
import io.arbiter.protocol.message.GlobalBeginRequest;
import io.arbiter.protocol.message.GlobalBeginResponse;
import io.arbiter.protocol.message.GlobalCommitRequest;
import io.arbiter.protocol.message.GlobalCommitResponse;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A minimal Seata TM speaking raw v1 frames (Arbiter's own codec) to one chosen node, to probe that node whatever
 * the application's client does: registers as a TM, then begins and commits global transactions. Blocking,
 * one request at a time; a connection lives for one probe, so the server's idle timeout never matters.
 *
 * <p>Threading: one thread per instance.
 */
public final class RawTm implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextId = 1;

    /** Connects to {@code host:port} and registers as a TM of the compat application; fails within {@code timeout}. */
    public RawTm(String host, int port, Duration timeout) throws IOException {
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            SeataMessage answer = call(new RegisterTMRequest(
                    "2.5.0", "arbiter-compat-probe", ClientSettings.TX_GROUP, "vgroup=" + ClientSettings.TX_GROUP));
            if (!(answer instanceof RegisterTMResponse r) || !r.identified()) {
                throw new IOException("TM registration refused: " + answer);
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The XID if the begin succeeded; throws with the server's message if it answered Failed. */
    public String begin(int timeoutMillis, String name) throws IOException {
        SeataMessage answer = call(new GlobalBeginRequest(timeoutMillis, name));
        if (answer instanceof GlobalBeginResponse r && r.resultCode() == ResultCode.Success) {
            return r.xid();
        }
        throw new IOException("begin answered " + answer);
    }

    /** Connects, begins and commits one empty transaction; returns the commit's status or throws. */
    public static String beginAndCommit(String host, int port, Duration timeout, int txTimeoutMillis)
            throws IOException {
        try (RawTm tm = new RawTm(host, port, timeout)) {
            return tm.commit(tm.begin(txTimeoutMillis, "ha-raw-probe"));
        }
    }

    /** The global status the commit answered; throws if the server answered Failed. */
    public String commit(String xid) throws IOException {
        SeataMessage answer = call(new GlobalCommitRequest(xid, null));
        if (answer instanceof GlobalCommitResponse r && r.resultCode() == ResultCode.Success) {
            return r.globalStatus().name();
        }
        throw new IOException("commit answered " + answer);
    }

    private SeataMessage call(SeataMessage body) throws IOException {
        int id = nextId++;
        ByteBuf buf = Unpooled.buffer();
        FrameCodec.encode(Frame.request(id, body), buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        out.write(bytes);
        out.flush();
        while (true) {
            byte[] head = new byte[7];
            in.readFully(head);
            int length =
                    ((head[3] & 0xff) << 24) | ((head[4] & 0xff) << 16) | ((head[5] & 0xff) << 8) | (head[6] & 0xff);
            byte[] all = new byte[length];
            System.arraycopy(head, 0, all, 0, 7);
            in.readFully(all, 7, length - 7);
            Frame f = FrameCodec.decode(Unpooled.wrappedBuffer(all));
            if (f.requestId() == id && f.messageType() == MessageKind.RESPONSE) {
                return f.body();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
