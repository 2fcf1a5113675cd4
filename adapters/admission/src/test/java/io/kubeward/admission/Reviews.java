package io.kubeward.admission;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The AdmissionReview fixtures of {@code src/test/resources/reviews}, shaped as the API server sends
 * them, and small edits of them for the cases between fixtures.
 */
final class Reviews {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Reviews() {
    }

    static byte[] bytes(String fixture) {
        try (InputStream in = Reviews.class.getResourceAsStream("/reviews/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture as a mutable tree. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> tree(String fixture) {
        return JSON.unmarshal(new String(bytes(fixture), StandardCharsets.UTF_8), Map.class);
    }

    static byte[] json(Object tree) {
        return JSON.asJson(tree).getBytes(StandardCharsets.UTF_8);
    }

    /** Sets a value at a dotted path of a tree ({@code request.dryRun}); creates missing maps. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> set(Map<String, Object> tree, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> at = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new java.util.LinkedHashMap<String, Object>());
        }
        if (value == null) {
            at.remove(parts[parts.length - 1]);
        } else {
            at.put(parts[parts.length - 1], value);
        }
        return tree;
    }

    /** A fixture with one value changed, as bytes. */
    static byte[] with(String fixture, String path, Object value) {
        return json(set(tree(fixture), path, value));
    }

    /** The parsed answer. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> answer(byte[] json) {
        return JSON.unmarshal(new String(json, StandardCharsets.UTF_8), Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> response(byte[] json) {
        return (Map<String, Object>) answer(json).get("response");
    }

    static boolean allowed(byte[] json) {
        return Boolean.TRUE.equals(response(json).get("allowed"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(byte[] json) {
        return (Map<String, Object>) response(json).get("status");
    }

    static String message(byte[] json) {
        Map<String, Object> s = status(json);
        return s == null ? null : (String) s.get("message");
    }

    @SuppressWarnings("unchecked")
    static List<String> warnings(byte[] json) {
        List<String> w = (List<String>) response(json).get("warnings");
        return w == null ? List.of() : w;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> auditAnnotations(byte[] json) {
        Map<String, String> a = (Map<String, String>) response(json).get("auditAnnotations");
        return a == null ? Map.of() : a;
    }

    static String patch(byte[] json) {
        String p = (String) response(json).get("patch");
        return p == null ? null : new String(Base64.getDecoder().decode(p), StandardCharsets.UTF_8);
    }
}
