package io.arbiter.replication.ratis;

import io.arbiter.replication.SnapshotWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.AtomicFileOutputStream;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Snapshot files in Ratis's {@link SimpleStateMachineStorage} layout ({@code sm/snapshot.<term>_<index>} plus a
 * {@code .md5} file), so Ratis can ship them to lagging followers unchanged. A file is written to a {@code .tmp}
 * name, forced, renamed, and only then given its MD5 file; a crash leaves either no snapshot or a complete one.
 *
 * <pre>
 * +-------------+---------+-----------+-----------+-------------------------------------+
 * | magic       | format  | term      | index     | state machine bytes (SnapshotWriter) |
 * | "ARBS" i32  | 1 byte  | int64     | int64     | to end of file                      |
 * +-------------+---------+-----------+-----------+-------------------------------------+
 * </pre>
 *
 * <p>Threading: {@link #write} runs on the snapshot thread, {@link #read} on the apply thread, cleanup on Ratis's
 * updater thread; they touch different files.
 */
final class SnapshotStore extends SimpleStateMachineStorage {

    private static final int MAGIC = 0x41524253; // "ARBS"
    private static final byte FORMAT = 1;
    private static final int BUFFER = 64 << 10;

    private final AtomicBoolean cleanupDue = new AtomicBoolean(true);

    /** A step that reads the state machine's part of a snapshot. */
    interface Reader {
        void read(InputStream in) throws IOException;
    }

    /**
     * Ratis calls this after every {@code takeSnapshot}, which with asynchronous snapshots is often; scan the
     * directory only when a new snapshot was published since the last scan.
     */
    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        if (cleanupDue.getAndSet(false)) {
            super.cleanupOldSnapshots(policy);
        }
    }

    /** A new snapshot was published: older ones may now be deleted. */
    void published() {
        cleanupDue.set(true);
    }

    /** Writes a complete snapshot file for {@code term/index} and returns its description. */
    SingleFileSnapshotInfo write(long term, long index, SnapshotWriter writer) throws IOException {
        File target = getSnapshotFile(term, index);
        File tmp = getTmpSnapshotFile(term, index);
        MessageDigest md5 = MD5FileUtil.newMD5();
        try (FileOutputStream file = new FileOutputStream(tmp)) {
            DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(file, md5), BUFFER));
            out.writeInt(MAGIC);
            out.writeByte(FORMAT);
            out.writeLong(term);
            out.writeLong(index);
            writer.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the state machine must not close our file
                }
            });
            out.flush();
            file.getChannel().force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp.toPath());
            throw e;
        }
        Files.move(tmp.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
        MD5Hash digest = MD5Hash.newInstance(md5.digest());
        MD5FileUtil.saveMD5File(target, digest);
        forceDirectory(target.getParentFile().toPath());
        SingleFileSnapshotInfo info = new SingleFileSnapshotInfo(new FileInfo(target.toPath(), digest), term, index);
        updateLatestSnapshot(info);
        return info;
    }

    /** Verifies a snapshot file (MD5, header) and hands the state machine's part to {@code reader}. */
    void read(SingleFileSnapshotInfo info, Reader reader) throws IOException {
        Path path = info.getFile().getPath();
        MD5Hash digest = info.getFile().getFileDigest();
        if (digest != null) {
            MD5FileUtil.verifySavedMD5(path.toFile(), digest);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), BUFFER))) {
            int magic = in.readInt();
            byte format = in.readByte();
            long term = in.readLong();
            long index = in.readLong();
            if (magic != MAGIC || format != FORMAT) {
                throw new IOException(path + " is not an Arbiter snapshot of format " + FORMAT);
            }
            if (term != info.getTerm() || index != info.getIndex()) {
                throw new IOException(path + " holds term/index " + term + "/" + index + ", its name says "
                        + info.getTerm() + "/" + info.getIndex());
            }
            reader.read(in);
        }
    }

    /** Deletes snapshot files a crash left half-written. */
    void deleteTemporaryFiles() throws IOException {
        Path dir = getSnapshotFile(0, 0).getParentFile().toPath();
        if (!Files.isDirectory(dir)) {
            return;
        }
        String pattern = "snapshot.*" + AtomicFileOutputStream.TMP_EXTENSION;
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, pattern)) {
            for (Path p : tmps) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be opened; the rename is still atomic
        }
    }
}
