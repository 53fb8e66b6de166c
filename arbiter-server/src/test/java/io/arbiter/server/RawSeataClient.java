package io.arbiter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbiter.protocol.frame.Frame;
import io.arbiter.protocol.frame.FrameCodec;
import io.arbiter.protocol.message.RegisterRMRequest;
import io.arbiter.protocol.message.RegisterRMResponse;
import io.arbiter.protocol.message.RegisterTMRequest;
import io.arbiter.protocol.message.RegisterTMResponse;
import io.arbiter.protocol.message.SeataMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A blocking test client speaking raw Seata v1 frames over a socket, built on our own codec. */
final class RawSeataClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextId = 1;

    RawSeataClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A client on {@code port} registered as a TM (Seata 2.0.0, application "app", group "grp"). */
    static RawSeataClient tm(int port) throws IOException {
        RawSeataClient c = new RawSeataClient(port);
        assertThat(c.call(new RegisterTMRequest("2.0.0", "app", "grp", "ak=x\n")))
                .isEqualTo(new RegisterTMResponse(true, "2.0.0"));
        return c;
    }

    /** A client on {@code port} registered as an RM of {@code resource} with client version {@code version}. */
    static RawSeataClient rm(int port, String resource, String version) throws IOException {
        RawSeataClient c = new RawSeataClient(port);
        assertThat(c.call(new RegisterRMRequest(version, "app", "grp", null, resource)))
                .isEqualTo(new RegisterRMResponse(true, version));
        return c;
    }

    int send(SeataMessage body) throws IOException {
        int id = nextId++;
        sendFrame(Frame.request(id, body));
        return id;
    }

    void sendFrame(Frame frame) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        FrameCodec.encode(frame, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        sendBytes(bytes);
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Frame read() throws IOException {
        byte[] head = new byte[7];
        in.readFully(head);
        int length = ((head[3] & 0xff) << 24) | ((head[4] & 0xff) << 16) | ((head[5] & 0xff) << 8) | (head[6] & 0xff);
        byte[] all = new byte[length];
        System.arraycopy(head, 0, all, 0, 7);
        in.readFully(all, 7, length - 7);
        return FrameCodec.decode(Unpooled.wrappedBuffer(all));
    }

    /** The next frame within {@code millis}, or null if none arrives in time. */
    Frame readWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return read();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** The next frame whose body is a {@code type} within {@code millis} (others are skipped), or null. */
    Frame readUntil(Class<?> type, int millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            Frame f = readWithin((int) Math.max(1, deadline - System.currentTimeMillis()));
            if (f != null && type.isInstance(f.body())) {
                return f;
            }
        }
        return null;
    }

    /** Sends a request and reads frames until its response arrives. */
    SeataMessage call(SeataMessage body) throws IOException {
        int id = send(body);
        while (true) {
            Frame f = read();
            if (f.requestId() == id && f.messageType() == 1) {
                return f.body();
            }
        }
    }

    /** True if the server closed the connection (EOF) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** True if the server closes the connection within {@code millis} (nothing sent meanwhile). */
    boolean closedWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
