package io.beeperkeeper.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.beeperkeeper.feature.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link BeeperConfig}: built-in defaults, then beeper.yaml, then one environment variable per
 * key ({@code web.port} -> {@code BEEPER_WEB_PORT}), then explicit overrides (command-line options).
 *
 * <p>The set of known keys is the shape of the defaults, so a new setting is declared once (in its
 * record's {@code defaults()}) and is at once readable from the file and the environment. Keys under
 * an "open map" (such as {@code cameras}, whose entries the user names) are checked by the record they
 * bind to instead.
 */
public final class ConfigLoader {
    public static final String ENV_PREFIX = "BEEPER_";
    private static final Set<String> OPEN_MAPS = Set.of("cameras", "alerts.rules", "motion.cameras");

    // one mapper reads the file and binds the merged tree to the records
    private final ObjectMapper json = Json.newYamlMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * @param file      beeper.yaml to read, or null for none
     * @param env       environment variables (System.getenv() in production)
     * @param overrides dotted key to value, applied last (command-line options)
     */
    public BeeperConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        ObjectNode tree = json.valueToTree(BeeperConfig.defaults());
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        collectLeaves(tree, "", leaves);

        if (file != null) {
            mergeFile(tree, readYaml(file), "", file);
        }
        for (Map.Entry<String, JsonNode> leaf : leaves.entrySet()) {
            String value = env.get(envName(leaf.getKey()));
            if (value != null) {
                set(tree, leaf.getKey(), coerce(leaf.getKey(), leaf.getValue(), value, "environment variable " + envName(leaf.getKey())));
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            JsonNode template = leaves.get(o.getKey());
            if (template == null) {
                throw new ConfigException("unknown config key '" + o.getKey() + "'");
            }
            set(tree, o.getKey(), coerce(o.getKey(), template, o.getValue(), "command line"));
        }
        return bind(tree);
    }

    /** The environment variable that overrides a dotted key: camelCase words become SNAKE_CASE. */
    public static String envName(String key) {
        return ENV_PREFIX + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
    }

    /** Every leaf key of the defaults, for documentation and tests. */
    public List<String> knownKeys() {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        collectLeaves(json.valueToTree(BeeperConfig.defaults()), "", leaves);
        return new ArrayList<>(leaves.keySet());
    }

    private JsonNode readYaml(Path file) {
        try {
            JsonNode node = json.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return json.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(file + ": the top level must be a mapping of sections (web:, mqtt:, ...)");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; copy beeper.example.yaml to start one");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    private void mergeFile(ObjectNode target, JsonNode source, String prefix, Path file) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode existing = target.get(f.getKey());
            if (existing == null) {
                Set<String> known = new TreeSet<>();
                target.fieldNames().forEachRemaining(known::add);
                throw new ConfigException("unknown config key '" + key + "' in " + file + "; known keys"
                        + (prefix.isEmpty() ? "" : " under '" + prefix + "'") + ": " + String.join(", ", known));
            }
            if (OPEN_MAPS.contains(key)) {
                target.set(f.getKey(), f.getValue());
            } else if (existing.isObject()) {
                if (!f.getValue().isObject()) {
                    throw new ConfigException(key, f.getValue().toString(), "a section with keys " + fieldList(existing));
                }
                mergeFile((ObjectNode) existing, f.getValue(), key, file);
            } else if (f.getValue().isContainerNode() && !existing.isContainerNode()) {
                throw new ConfigException(key, f.getValue().toString(), describe(existing));
            } else {
                target.set(f.getKey(), f.getValue().isNull() ? existing : f.getValue());
            }
        }
    }

    private static String fieldList(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static void collectLeaves(JsonNode node, String prefix, Map<String, JsonNode> out) {
        node.fields().forEachRemaining(f -> {
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isObject() && !OPEN_MAPS.contains(key)) {
                collectLeaves(f.getValue(), key, out);
            } else if (f.getValue().isValueNode()) {
                out.put(key, f.getValue());
            }
        });
    }

    private static JsonNode coerce(String key, JsonNode template, String raw, String where) {
        String v = raw.trim();
        try {
            if (template.isBoolean()) {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new ConfigException(key, raw, "true or false (from " + where + ")");
                }
                return BooleanNode.valueOf(Boolean.parseBoolean(v.toLowerCase()));
            }
            if (template.isInt()) {
                return IntNode.valueOf(Integer.parseInt(v));
            }
            if (template.isLong()) {
                return LongNode.valueOf(Long.parseLong(v));
            }
            if (template.isNumber()) {
                return DoubleNode.valueOf(Double.parseDouble(v));
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw, describe(template) + " (from " + where + ")");
        }
        return TextNode.valueOf(raw);
    }

    private static String describe(JsonNode template) {
        if (template.isBoolean()) {
            return "true or false";
        }
        if (template.isIntegralNumber()) {
            return "a whole number";
        }
        if (template.isNumber()) {
            return "a number";
        }
        return "a single value (text)";
    }

    private static void set(ObjectNode root, String dottedKey, JsonNode value) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private BeeperConfig bind(ObjectNode tree) {
        try {
            return json.treeToValue(tree, BeeperConfig.class);
        } catch (MismatchedInputException e) {
            String key = pathOf(e);
            JsonNode bad = at(tree, key);
            throw new ConfigException(key, bad == null ? null : bad.asText(),
                    bad == null ? "a value" : expectedFor(e.getTargetType()));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("config " + pathOf(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException("config: " + e.getOriginalMessage());
        }
    }

    private static String expectedFor(Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        return "a " + type.getSimpleName();
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonNode at(JsonNode root, String dottedKey) {
        JsonNode node = root;
        for (String part : dottedKey.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.get(part.replaceAll("\\[\\d+]$", ""));
        }
        return node;
    }
}
