package io.kubeward.admission;

import static io.kubeward.admission.Reviews.bytes;
import static io.kubeward.admission.Reviews.json;
import static io.kubeward.admission.Reviews.set;
import static io.kubeward.admission.Reviews.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reading of a review's objects gives what fabric8's own reading gives: the same
 * objects of the same classes, and the same 400 messages for bodies it cannot read.
 */
class AdmissionSerializationTest {

    static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
    final AdmissionSerialization onePass = new AdmissionSerialization();

    static AdmissionRequest fabric8(byte[] body) {
        return FABRIC8.unmarshal(new ByteArrayInputStream(body), AdmissionReview.class).getRequest();
    }

    void sameAsFabric8(byte[] body) {
        AdmissionRequest expected = fabric8(body);
        AdmissionRequest actual = onePass.readReview(body).getRequest();
        for (String field : List.of("object", "oldObject", "options")) {
            Object e = get(expected, field);
            Object a = get(actual, field);
            assertEquals(e == null ? null : e.getClass(), a == null ? null : a.getClass(), field);
            // as JSON: not every model class has equals (KubernetesList)
            assertEquals(FABRIC8.asJson(e), FABRIC8.asJson(a), field);
        }
        assertEquals(FABRIC8.asJson(expected), FABRIC8.asJson(actual));
    }

    static Object get(AdmissionRequest r, String field) {
        return switch (field) {
            case "object" -> r.getObject();
            case "oldObject" -> r.getOldObject();
            default -> r.getOptions();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"cronjob-create.json", "daemonset-create.json", "deployment-create-typical.json",
        "deployment-create-v1beta1.json", "deployment-create.json", "deployment-update-replicas.json", "deployment-update-template.json",
        "job-create.json", "pod-connect-exec.json", "pod-create-compliant.json", "pod-create-host-network.json",
        "pod-create-privileged-v1beta1.json", "pod-create-privileged.json", "pod-delete.json", "pod-ephemeralcontainers.json",
        "pod-update-image.json", "pod-update-labels.json", "pod-update-status.json", "podtemplate-create.json",
        "replicaset-create.json", "replicationcontroller-create.json", "statefulset-create.json"})
    void everyFixtureReadsAsFabric8ReadsIt(String fixture) {
        sameAsFabric8(bytes(fixture));
    }

    @Test
    void theKindNeedNotComeFirst() {
        Map<String, Object> review = tree("deployment-create.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) ((Map<String, Object>) review.get("request")).get("object");
        Map<String, Object> reordered = new LinkedHashMap<>(object);
        reordered.remove("kind");
        reordered.remove("apiVersion");
        reordered.put("kind", object.get("kind"));
        reordered.put("apiVersion", object.get("apiVersion"));
        byte[] body = json(set(review, "request.object", reordered));
        sameAsFabric8(body);
        assertTrue(onePass.readReview(body).getRequest().getObject() instanceof Deployment);
    }

    @Test
    void unknownKindsAndObjectsWithoutAKindTakeFabric8sPath() {
        Map<String, Object> widget = new LinkedHashMap<>();
        widget.put("apiVersion", "example.com/v1");
        widget.put("kind", "Widget");
        widget.put("metadata", Map.of("name", "w", "labels", Map.of("a", "b")));
        widget.put("spec", Map.of("size", 3, "parts", List.of(1.5, "x", true)));
        byte[] custom = json(set(tree("deployment-create.json"), "request.object", widget));
        sameAsFabric8(custom);
        assertSame(GenericKubernetesResource.class, onePass.readReview(custom).getRequest().getObject().getClass());

        Map<String, Object> kindless = new LinkedHashMap<>();
        kindless.put("metadata", Map.of("name", "web"));
        kindless.put("spec", Map.of("replicas", 2));
        sameAsFabric8(json(set(tree("deployment-create.json"), "request.object", kindless)));
        sameMessage(json(set(tree("deployment-create.json"), "request.object.kind", 7)));
        sameAsFabric8(json(set(tree("deployment-create.json"), "request.object", List.of(Map.of("kind", "Pod", "apiVersion", "v1")))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "request.object.spec.replicas           | [1]",
        "request.object.metadata                | 5",
        "request.object.spec.template.spec.containers | {\"name\": \"x\"}",
        "request.object.metadata.name           | {}",
        "request.object.spec.replicas           | \"\""})
    void aWrongShapeGetsFabric8sMessage(String path, String value) {
        Object parsed = FABRIC8.unmarshal(value, Object.class);
        sameMessage(json(set(tree("deployment-create.json"), path, parsed)));
    }

    @Test
    void malformedJsonInsideTheObjectGetsFabric8sMessage() {
        String body = new String(json(tree("deployment-create.json")), StandardCharsets.UTF_8);
        int spec = body.indexOf("\"spec\"");
        // a wrong shape before the damage: the damage is reported, as reading the object whole finds it first
        String damaged = body.replace("\"replicas\":", "\"replicas\":{\"a\":1},\"x\":").substring(0, body.length() - 40);
        sameMessage(damaged.getBytes(StandardCharsets.UTF_8));
        sameMessage((body.substring(0, spec) + "\"spec\": {\"a\" 1}}}}").getBytes(StandardCharsets.UTF_8));
        sameMessage(body.substring(0, spec + 20).getBytes(StandardCharsets.UTF_8));
    }

    void sameMessage(byte[] body) {
        String expected = assertThrows(InvalidReviewException.class, () -> new AdmissionReviewCodec(FABRIC8).read(body)).getMessage();
        String actual = assertThrows(InvalidReviewException.class, () -> new AdmissionReviewCodec(onePass).read(body)).getMessage();
        assertEquals(expected, actual);
    }

    @Test
    void aKindGivenTwiceWithDifferentValuesIsRefused() {
        String body = new String(json(tree("deployment-create.json")), StandardCharsets.UTF_8);
        String twice = body.replace("\"spec\":{\"replicas\"", "\"kind\":\"StatefulSet\",\"spec\":{\"replicas\"");
        assertTrue(twice.length() > body.length());
        String message = assertThrows(InvalidReviewException.class,
                () -> new AdmissionReviewCodec(onePass).read(twice.getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(message.startsWith("request.object: wrong shape") && message.contains("more than once"), message);
    }

    @Test
    void answersAreWrittenAsFabric8WritesThem() {
        AdmissionDecision decision = new AdmissionDecision("uid-\u00e9\ud83d\ude00", false, 403, "Forbidden", "no \"quotes\" \u0000",
                List.of("warn \ud83d\ude00"), Map.of("k", "v"), "[]", AdmissionMetrics.Result.DENIED, List.of(), List.of(), List.of());
        ReviewRequest request = new AdmissionReviewCodec(onePass).read(bytes("pod-create-compliant.json"));
        byte[] expected = new AdmissionReviewCodec(FABRIC8).write(request, decision);
        byte[] actual = new AdmissionReviewCodec(onePass).write(request, decision);
        assertNotNull(actual);
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
    }
}
