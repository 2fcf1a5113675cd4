package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.psp.AdmissionPolicies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fixtures of {@code src/test/resources/psp}: PodSecurityPolicies with their RBAC, reviews shaped
 * as the API server sends them, and the objects as they must look once the answered patch is applied.
 */
final class PspFixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private PspFixtures() {
    }

    static byte[] bytes(String fixture) {
        try (InputStream in = PspFixtures.class.getResourceAsStream("/psp/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture psp/" + fixture);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of a YAML fixture as objects. */
    static List<InputObject> objects(String fixture) {
        List<InputObject> out = new ArrayList<>();
        for (String doc : new String(bytes(fixture), StandardCharsets.UTF_8).split("(?m)^---$")) {
            if (!doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                out.add(InputObject.of(Reviews.JSON.unmarshal(doc, HasMetadata.class)));
            }
        }
        return out;
    }

    static AdmissionPolicies policies() {
        return AdmissionPolicies.of(objects("policies.yaml")).requireValid();
    }

    /** A review fixture as a mutable tree. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(String fixture) {
        return Reviews.JSON.unmarshal(new String(bytes(fixture), StandardCharsets.UTF_8), Map.class);
    }

    /** A review fixture with one value changed ({@code request.userInfo.username}), as bytes. */
    static byte[] with(String fixture, String path, Object value) {
        return Reviews.json(Reviews.set(tree(fixture), path, value));
    }

    /** {@code request.object} of a review body, as the API server sent it. */
    static JsonNode sentObject(byte[] review) {
        return JSON.readTree(review).get("request").get("object");
    }

    /** What the API server does with the answer: applies the RFC 6902 patch to the object it sent. */
    static JsonNode applyPatch(String patch, JsonNode object) {
        return io.fabric8.zjsonpatch.JsonPatch.apply(JSON.readTree(patch), object);
    }

    static JsonNode tree(byte[] json) {
        return JSON.readTree(json);
    }
}
