package io.arbiter.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML settings file (Seata's {@code application.yml}) as flat keys: nested maps become dotted keys
 * ({@code seata: server: service-port: 8091} is {@code seata.server.service-port=8091}), lists become
 * comma-separated values, an empty value is an empty string.
 */
final class YamlSettings {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlSettings() {}

    static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ConfigException(
                    "--config",
                    "not valid YAML in " + file + ": " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new ConfigException("--config", file + " must hold a map of settings");
            }
            flatten("", root, values);
        }
        return values;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), into);
            }
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.isValueNode() ? item.asText() : item.toString()));
            into.put(prefix, String.join(",", items));
        } else {
            into.put(prefix, node.isNull() ? "" : node.asText().trim());
        }
    }
}
