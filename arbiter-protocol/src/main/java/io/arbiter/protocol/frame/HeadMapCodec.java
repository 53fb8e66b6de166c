package io.arbiter.protocol.frame;

import io.arbiter.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frame head map (Seata {@code HeadMapSerializer}): key/value pairs until the region is used up; each string is
 * {@code i16 length + UTF-8}, length -1 (any negative) = null, 0 = "". Stateless and thread-safe.
 */
final class HeadMapCodec {

    private HeadMapCodec() {}

    /** Decodes a region that holds exactly the head map bytes; strings must not overrun it. */
    static Map<String, String> decode(ByteBuf region) {
        if (!region.isReadable()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (region.isReadable()) {
            String key = readString(region);
            String value = readString(region);
            map.put(key, value);
        }
        return map;
    }

    private static String readString(ByteBuf region) {
        if (region.readableBytes() < 2) {
            throw new ProtocolException(
                    "truncated head map: string length needs 2 bytes, " + region.readableBytes() + " remain");
        }
        int len = region.readShort();
        if (len < 0) {
            return null;
        }
        if (len == 0) {
            return "";
        }
        if (len > region.readableBytes()) {
            throw new ProtocolException("head map string of " + len + " bytes overruns the head map ("
                    + region.readableBytes() + " bytes remain)");
        }
        String s = region.toString(region.readerIndex(), len, StandardCharsets.UTF_8);
        region.skipBytes(len);
        return s;
    }

    static void encode(Map<String, String> map, ByteBuf out) {
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static void writeString(ByteBuf out, String s) {
        if (s == null) {
            out.writeShort(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > Short.MAX_VALUE) {
            throw new ProtocolException("head map string of " + b.length + " bytes exceeds " + Short.MAX_VALUE);
        }
        out.writeShort(b.length);
        out.writeBytes(b);
    }
}
