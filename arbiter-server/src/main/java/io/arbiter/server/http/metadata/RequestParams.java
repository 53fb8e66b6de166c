package io.arbiter.server.http.metadata;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters as Spring's {@code @RequestParam} sees them: the query string plus, for a form-encoded body,
 * the body's fields (first value wins per name).
 */
public final class RequestParams {
    private static final String FORM = "application/x-www-form-urlencoded";

    private RequestParams() {}

    public static Map<String, String> of(FullHttpRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        add(params, new QueryStringDecoder(request.uri()).parameters());
        if (request.content().isReadable()) {
            String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null && !HttpUtil.getMimeType(request).toString().equalsIgnoreCase(FORM)) {
                throw new ApiException(
                        HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                        "parameters must be sent as " + FORM + ", not " + type);
            }
            Charset charset = HttpUtil.getCharset(request, StandardCharsets.UTF_8);
            String body = request.content().toString(charset);
            add(params, new QueryStringDecoder(body, charset, false).parameters());
        }
        return params;
    }

    private static void add(Map<String, String> params, Map<String, List<String>> decoded) {
        decoded.forEach((name, values) -> {
            if (!values.isEmpty()) {
                params.putIfAbsent(name, values.get(0));
            }
        });
    }
}
