package net.tracemesh.web.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's OpenAPI 3.1 document, merged from one fragment per module on the class path ({@code openapi/base.yaml}
 * first, then {@code queries}, {@code accounts}, {@code agents}, {@code measurements}, {@code live},
 * {@code system}). A fragment holds {@code paths} and {@code components}; merging unites them and fails when two
 * fragments define the same path or the same component. A fragment that is missing is left out (and logged).
 */
public final class OpenApiDocument {
    /** The fragments, in merge order; base holds info, security schemes and the shared error responses. */
    public static final List<String> FRAGMENTS = List.of("base", "queries", "accounts", "agents", "measurements",
            "live", "system");
    /** Where fragments are on the class path: {@code openapi/<name>.yaml}. */
    public static final String RESOURCE_DIR = "openapi/";
    /** The document's URI for resolving {@code $ref}s in body schemas. */
    public static final String DOCUMENT_URI = "https://tracemesh.net/openapi.json";

    private static final Logger LOG = LoggerFactory.getLogger(OpenApiDocument.class);
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final String JSON_MEDIA_TYPE = "application/json";
    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;
    private final Map<OperationKey, OperationSpec> operations;
    private final String yaml;

    private OpenApiDocument(ObjectNode root) {
        this.root = root;
        this.operations = Collections.unmodifiableMap(readOperations(root));
        try {
            this.yaml = YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document as YAML", e);
        }
    }

    /** Merges the standard {@link #FRAGMENTS} from the class path. */
    public static OpenApiDocument load() {
        return load(OpenApiDocument.class.getClassLoader(), FRAGMENTS);
    }

    /**
     * Merges the named fragments ({@code openapi/<name>.yaml}); the first must exist.
     *
     * @throws IllegalStateException when a fragment does not parse or redefines a path or component
     */
    public static OpenApiDocument load(ClassLoader loader, List<String> fragmentNames) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : fragmentNames) {
            String resource = RESOURCE_DIR + name + ".yaml";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    if (texts.isEmpty()) {
                        throw new IllegalStateException("the OpenAPI base fragment " + resource
                                + " is not on the class path");
                    }
                    LOG.warn("web: OpenAPI fragment {} is not on the class path; its operations are left out",
                            resource);
                    continue;
                }
                texts.put(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
            }
        }
        return merge(texts);
    }

    /**
     * Merges fragments given as YAML texts, in order; the first is the base.
     *
     * @param fragments the fragment's name (for messages) to its YAML text
     */
    public static OpenApiDocument merge(Map<String, String> fragments) {
        ObjectNode root = null;
        for (Map.Entry<String, String> f : fragments.entrySet()) {
            ObjectNode fragment = parse(f.getKey(), f.getValue());
            if (root == null) {
                root = fragment;
                root.withObject("/paths");
                root.withObject("/components");
                continue;
            }
            mergeInto(root, fragment, f.getKey());
        }
        if (root == null) {
            throw new IllegalStateException("no OpenAPI fragment to merge");
        }
        return new OpenApiDocument(root);
    }

    /** Every documented operation. */
    public Set<OperationKey> operationKeys() {
        return operations.keySet();
    }

    public Optional<OperationSpec> operation(HttpMethod method, String path) {
        return Optional.ofNullable(operations.get(new OperationKey(method, path)));
    }

    /** The merged document as YAML, as served at {@code /openapi.yaml}. */
    public String yaml() {
        return yaml;
    }

    /** The merged document as Vert.x JSON, for the JSON Schema repository. */
    public JsonObject json() {
        return new JsonObject(JSON.convertValue(root, Map.class));
    }

    /** The merged document's tree; callers must not change it. */
    public JsonNode tree() {
        return root;
    }

    private static ObjectNode parse(String name, String text) {
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("OpenAPI fragment " + name + " is not valid YAML: "
                    + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalStateException("OpenAPI fragment " + name + " is not a mapping");
        }
        return (ObjectNode) node;
    }

    private static void mergeInto(ObjectNode root, ObjectNode fragment, String name) {
        Iterator<String> keys = fragment.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.equals("paths") && !key.equals("components")) {
                throw new IllegalStateException("OpenAPI fragment " + name + ": only paths and components may be"
                        + " given, not '" + key + "' (the base fragment holds the rest)");
            }
        }
        JsonNode paths = fragment.get("paths");
        if (paths != null && paths.isObject()) {
            ObjectNode into = root.withObject("/paths");
            paths.fields().forEachRemaining(p -> {
                if (into.has(p.getKey())) {
                    throw new IllegalStateException("OpenAPI fragment " + name + ": path " + p.getKey()
                            + " is already defined by another fragment");
                }
                into.set(p.getKey(), p.getValue());
            });
        }
        JsonNode components = fragment.get("components");
        if (components != null && components.isObject()) {
            components.fields().forEachRemaining(section -> {
                if (!section.getValue().isObject()) {
                    throw new IllegalStateException("OpenAPI fragment " + name + ": components." + section.getKey()
                            + " is not a mapping");
                }
                ObjectNode into = root.withObject("/components").withObject("/" + section.getKey());
                section.getValue().fields().forEachRemaining(c -> {
                    if (into.has(c.getKey())) {
                        throw new IllegalStateException("OpenAPI fragment " + name + ": components."
                                + section.getKey() + "." + c.getKey() + " is already defined by another fragment");
                    }
                    into.set(c.getKey(), c.getValue());
                });
            });
        }
    }

    private static Map<OperationKey, OperationSpec> readOperations(ObjectNode root) {
        Map<OperationKey, OperationSpec> out = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        root.withObject("/paths").fields().forEachRemaining(p -> {
            String path = p.getKey();
            JsonNode item = p.getValue();
            item.fields().forEachRemaining(m -> {
                String method = m.getKey().toLowerCase(Locale.ROOT);
                if (!METHODS.contains(method)) {
                    return;
                }
                OperationKey key = new OperationKey(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), path);
                OperationSpec spec = readOperation(root, key, item, m.getValue());
                if (!ids.add(spec.operationId())) {
                    throw new IllegalStateException("OpenAPI: operationId " + spec.operationId() + " of " + key
                            + " is used twice");
                }
                out.put(key, spec);
            });
        });
        return out;
    }

    private static OperationSpec readOperation(ObjectNode root, OperationKey key, JsonNode item, JsonNode op) {
        String where = "OpenAPI " + key;
        JsonNode id = op.get("operationId");
        if (id == null || id.asText().isBlank()) {
            throw new IllegalStateException(where + ": has no operationId");
        }
        JsonNode security = op.get("security");
        boolean publicAccess = security != null && security.isArray() && security.isEmpty();
        Map<String, ParameterSpec> params = new LinkedHashMap<>();
        for (JsonNode list : new JsonNode[] {item.get("parameters"), op.get("parameters")}) {
            if (list == null) {
                continue;
            }
            for (JsonNode raw : list) {
                JsonNode p = resolve(root, raw, where);
                String in = p.path("in").asText();
                String name = p.path("name").asText();
                if (name.isEmpty()) {
                    throw new IllegalStateException(where + ": a parameter has no name");
                }
                ParameterSpec.Location location;
                if (in.equals("query")) {
                    location = ParameterSpec.Location.QUERY;
                } else if (in.equals("path")) {
                    location = ParameterSpec.Location.PATH;
                } else {
                    continue; // header and cookie parameters are not checked here
                }
                String pw = where + " parameter " + name;
                if (p.get("schema") == null) {
                    throw new IllegalStateException(pw + ": has no schema");
                }
                ValueSchema schema = ValueSchema.of(p.get("schema"), n -> resolve(root, n, pw), pw);
                params.put(name, new ParameterSpec(name, location, p.path("required").asBoolean(false), schema));
            }
        }
        String bodyPointer = null;
        boolean bodyRequired = false;
        if (op.get("requestBody") != null) {
            JsonNode body = resolve(root, op.get("requestBody"), where);
            JsonNode schema = body.path("content").path(JSON_MEDIA_TYPE).get("schema");
            if (schema != null) {
                bodyPointer = "/paths/" + escape(key.path()) + "/" + key.method().name().toLowerCase(Locale.ROOT)
                        + "/requestBody/content/" + escape(JSON_MEDIA_TYPE) + "/schema";
                if (op.get("requestBody").has("$ref")) {
                    bodyPointer = refPointer(op.get("requestBody")) + "/content/" + escape(JSON_MEDIA_TYPE)
                            + "/schema";
                }
                bodyRequired = body.path("required").asBoolean(false);
            }
        }
        return new OperationSpec(key, id.asText(), publicAccess, new ArrayList<>(params.values()), bodyPointer,
                bodyRequired);
    }

    /** Follows local {@code $ref}s ({@code #/components/...}) to what they point at. */
    static JsonNode resolve(JsonNode root, JsonNode node, String where) {
        JsonNode n = node;
        for (int depth = 0; n != null && n.has("$ref"); depth++) {
            if (depth > 16) {
                throw new IllegalStateException(where + ": $ref loop at " + node.get("$ref").asText());
            }
            JsonNode target = root.at(refPointer(n));
            if (target.isMissingNode()) {
                throw new IllegalStateException(where + ": $ref " + n.get("$ref").asText() + " points at nothing");
            }
            n = target;
        }
        return n;
    }

    private static String refPointer(JsonNode refNode) {
        String ref = refNode.get("$ref").asText();
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("only local $refs (#/...) are supported, got " + ref);
        }
        return ref.substring(1);
    }

    /** Escapes a JSON pointer segment: '~' as {@code ~0}, '/' as {@code ~1}. */
    static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
