package net.tracemesh.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {
    private static final String BASE = """
            openapi: 3.1.0
            info: { title: t, version: "1" }
            paths: {}
            components:
              schemas:
                Error: { type: object }
            """;
    private static final String THINGS = """
            paths:
              /api/v1/things/{id}:
                parameters:
                  - { name: id, in: path, required: true, schema: { type: string, pattern: "^[a-z]+$" } }
                get:
                  operationId: getThing
                  parameters:
                    - { name: limit, in: query, schema: { $ref: "#/components/schemas/Limit" } }
                    - name: tag
                      in: query
                      schema: { type: array, items: { type: string }, maxItems: 3 }
                  responses: { "200": { description: ok } }
                put:
                  operationId: putThing
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: { $ref: "#/components/schemas/Thing" }
                  responses: { "200": { description: ok } }
            components:
              schemas:
                Limit: { type: integer, minimum: 1, maximum: 10 }
                Thing: { type: object, required: [name], properties: { name: { type: string } } }
            """;

    @Test
    void mergesPathsAndComponentsOfFragments() {
        OpenApiDocument doc = OpenApiDocument.merge(fragments(BASE, THINGS));

        assertThat(doc.operationKeys()).containsExactlyInAnyOrder(
                new OperationKey(HttpMethod.GET, "/api/v1/things/{id}"),
                new OperationKey(HttpMethod.PUT, "/api/v1/things/{id}"));
        OperationSpec get = doc.operation(HttpMethod.GET, "/api/v1/things/{id}").orElseThrow();
        assertThat(get.operationId()).isEqualTo("getThing");
        assertThat(get.parameters()).extracting(ParameterSpec::name).containsExactly("id", "limit", "tag");
        ParameterSpec limit = get.parameters().get(1);
        assertThat(limit.schema().type()).isEqualTo(ValueSchema.Type.INTEGER);
        assertThat(limit.schema().maximum()).isEqualByComparingTo("10");
        assertThat(get.parameters().get(0).required()).isTrue();
        assertThat(get.parameters().get(2).schema().maxItems()).isEqualTo(3);
        OperationSpec put = doc.operation(HttpMethod.PUT, "/api/v1/things/{id}").orElseThrow();
        assertThat(put.bodyRequired()).isTrue();
        assertThat(doc.tree().at(put.bodySchemaPointer()).get("$ref").asText())
                .isEqualTo("#/components/schemas/Thing");
        assertThat(doc.tree().at("/components/schemas/Error").isObject()).isTrue();
        assertThat(doc.tree().at("/components/schemas/Thing").isObject()).isTrue();
    }

    @Test
    void aPathDefinedTwiceFails() {
        String again = """
                paths:
                  /api/v1/things/{id}:
                    delete:
                      operationId: deleteThing
                      responses: { "204": { description: gone } }
                """;
        assertThatThrownBy(() -> OpenApiDocument.merge(fragments(BASE, THINGS, again)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("path /api/v1/things/{id} is already defined");
    }

    @Test
    void aSchemaDefinedTwiceFails() {
        String again = """
                components:
                  schemas:
                    Thing: { type: string }
                """;
        assertThatThrownBy(() -> OpenApiDocument.merge(fragments(BASE, THINGS, again)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("components.schemas.Thing is already defined");
    }

    @Test
    void anOperationWithoutIdFails() {
        String noId = """
                paths:
                  /x:
                    get:
                      responses: { "200": { description: ok } }
                """;
        assertThatThrownBy(() -> OpenApiDocument.merge(fragments(BASE, noId)))
                .hasMessageContaining("GET /x: has no operationId");
    }

    @Test
    void aFragmentMayNotRedefineInfo() {
        assertThatThrownBy(() -> OpenApiDocument.merge(fragments(BASE, "info: { title: x }\n")))
                .hasMessageContaining("only paths and components");
    }

    @Test
    void missingFragmentsAreLeftOut() {
        OpenApiDocument doc = OpenApiDocument.load(getClass().getClassLoader(), List.of("base", "no-such-fragment"));
        assertThat(doc.tree().at("/components/schemas/Error").isObject()).isTrue();
    }

    @Test
    void theClassPathDocumentMergesAndServesAsYaml() throws Exception {
        OpenApiDocument doc = OpenApiDocument.load();

        assertThat(doc.operationKeys()).contains(new OperationKey(HttpMethod.GET, "/api/v1/health"),
                new OperationKey(HttpMethod.GET, "/metrics"), new OperationKey(HttpMethod.GET, "/openapi.yaml"));
        assertThat(doc.operation(HttpMethod.GET, "/api/v1/health").orElseThrow().publicAccess()).isTrue();
        JsonNode reparsed = new YAMLMapper().readTree(doc.yaml());
        assertThat(reparsed.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(reparsed.at("/paths").size()).isEqualTo(doc.tree().at("/paths").size());
        // every body schema can be compiled into a validator
        RequestValidator.Factory validators = RequestValidator.factory(doc);
        for (OperationKey key : doc.operationKeys()) {
            assertThat(validators.validator(doc.operation(key.method(), key.path()).orElseThrow())).isNotNull();
        }
    }

    @Test
    void bodiesOfOperationsOnTemplatedPathsAreValidated() {
        OpenApiDocument doc = OpenApiDocument.merge(fragments(BASE, THINGS));
        RequestValidator put = RequestValidator.factory(doc)
                .validator(doc.operation(HttpMethod.PUT, "/api/v1/things/{id}").orElseThrow());

        put.checkBody(new io.vertx.core.json.JsonObject().put("name", "x"));
        assertThatThrownBy(() -> put.checkBody(new io.vertx.core.json.JsonObject()))
                .isInstanceOfSatisfying(net.tracemesh.web.http.ApiException.class,
                        e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void instanceLocationsBecomeFieldNames() {
        assertThat(RequestValidator.fieldName("/targets/2/address")).isEqualTo("targets[2].address");
        assertThat(RequestValidator.fieldName("#/name")).isEqualTo("name");
        assertThat(RequestValidator.fieldName("")).isNull();
        assertThat(RequestValidator.fieldName("/a~1b")).isEqualTo("a/b");
    }

    private static Map<String, String> fragments(String... texts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < texts.length; i++) {
            out.put("fragment" + i, texts[i]);
        }
        return out;
    }
}
