package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads AdmissionReview requests and writes the responses, in the API version of the request.
 * {@code admission.k8s.io/v1beta1} has the same fields as {@code v1}, so both are read with the v1
 * model and answered with the request's own {@code apiVersion}.
 */
final class AdmissionReviewCodec {

    static final String V1 = "admission.k8s.io/v1";
    static final String V1BETA1 = "admission.k8s.io/v1beta1";

    private final KubernetesSerialization serialization;

    AdmissionReviewCodec(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    KubernetesSerialization serialization() {
        return serialization;
    }

    /** Reads a request body. */
    ReviewRequest read(byte[] body) {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length) {
            throw new InvalidReviewException("the request body is empty; expected an AdmissionReview (JSON)");
        }
        if (body[first] != '{') {
            // also keeps the YAML fallback of the deserializer away from arbitrary bytes
            throw new InvalidReviewException("the request body is not a JSON object; expected an AdmissionReview");
        }
        AdmissionReview review;
        try {
            review = serialization instanceof AdmissionSerialization onePass ? onePass.readReview(body)
                    : serialization.unmarshal(new ByteArrayInputStream(body), AdmissionReview.class);
        } catch (RuntimeException e) {
            throw invalid(e, "");
        }
        return read(review);
    }

    /** Reads an AdmissionReview already in the fabric8 model. */
    ReviewRequest read(AdmissionReview review) {
        if (review == null) {
            throw new InvalidReviewException("the request body is empty; expected an AdmissionReview (JSON)");
        }
        String apiVersion = review.getApiVersion();
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new InvalidReviewException("apiVersion is missing; expected " + V1 + " or " + V1BETA1);
        }
        if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
            throw new InvalidReviewException("apiVersion '" + apiVersion + "' is not " + V1 + " or " + V1BETA1);
        }
        if (!"AdmissionReview".equals(review.getKind())) {
            throw new InvalidReviewException("kind '" + review.getKind() + "' is not AdmissionReview");
        }
        AdmissionRequest r = review.getRequest();
        if (r == null) {
            throw new InvalidReviewException("request is missing: an AdmissionReview sent to a webhook carries a request");
        }
        if (r.getUid() == null || r.getUid().isBlank()) {
            throw new InvalidReviewException("request.uid is missing: the answer must echo it");
        }
        ReviewRequest.Operation operation = ReviewRequest.Operation.parse(r.getOperation());
        GroupVersionKind gvk = r.getKind();
        if (gvk == null || gvk.getKind() == null || gvk.getKind().isBlank()) {
            throw new InvalidReviewException("request.kind.kind is missing");
        }
        String sub = r.getSubResource() == null || r.getSubResource().isEmpty() ? null : r.getSubResource();
        // only CREATE and UPDATE objects are checked; DELETE and CONNECT carry options or the old object
        boolean writes = operation == ReviewRequest.Operation.CREATE || operation == ReviewRequest.Operation.UPDATE;
        HasMetadata object = writes ? object(r.getObject(), gvk, sub, "request.object") : null;
        HasMetadata oldObject = operation == ReviewRequest.Operation.UPDATE ? object(r.getOldObject(), gvk, sub, "request.oldObject") : null;
        String namespace = r.getNamespace() == null || r.getNamespace().isEmpty()
                ? object != null && object.getMetadata() != null ? object.getMetadata().getNamespace() : null
                : r.getNamespace();
        String username = r.getUserInfo() == null ? null : r.getUserInfo().getUsername();
        String resource = r.getResource() == null ? null : r.getResource().getResource();
        return new ReviewRequest(apiVersion, r.getUid(), gvk.getKind(), resource, sub, operation, namespace, r.getName(),
                object, oldObject, username, Boolean.TRUE.equals(r.getDryRun()),
                r.getUserInfo() == null ? null : r.getUserInfo().getGroups(), r.getUserInfo() == null ? null : r.getUserInfo().getUid());
    }

    /**
     * The object of the request as a fabric8 type. The model may leave it as a map (or a generic
     * resource); it is typed from its own apiVersion and kind, else from {@code request.kind}.
     */
    private HasMetadata object(Object raw, GroupVersionKind gvk, String sub, String field) {
        try {
            return typedObject(raw, gvk, sub, field);
        } catch (InvalidReviewException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid(e, field);
        }
    }

    private HasMetadata typedObject(Object raw, GroupVersionKind gvk, String sub, String field) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean || raw instanceof List) {
            throw new InvalidReviewException(field + " must be a JSON object, found " + describe(raw));
        }
        Object value = raw;
        if (value instanceof KubernetesResource && !(value instanceof HasMetadata)) {
            value = serialization.convertValue(value, Map.class);
        }
        if (value instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource g) {
            value = serialization.convertValue(g, Map.class);
        }
        if (value instanceof HasMetadata h) {
            return h;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidReviewException(field + " must be a JSON object, found " + describe(value));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        map.forEach((k, v) -> m.put(String.valueOf(k), v));
        if ("EphemeralContainers".equals(m.get("kind")) || "EphemeralContainers".equals(gvk.getKind())) {
            return ephemeralContainersAsPod(m, field);
        }
        Object apiVersion = m.get("apiVersion");
        Object kind = m.get("kind");
        if (kind == null) {
            m.put("kind", gvk.getKind());
        } else if (!(kind instanceof String)) {
            throw new InvalidReviewException(field + ".kind must be a string, found " + describe(kind));
        } else if (!kind.equals(gvk.getKind()) && sub == null) {
            throw new InvalidReviewException(field + " is a " + kind + " but request.kind says " + gvk.getKind());
        }
        if (apiVersion == null) {
            String group = gvk.getGroup() == null || gvk.getGroup().isEmpty() ? "" : gvk.getGroup() + "/";
            m.put("apiVersion", group + (gvk.getVersion() == null ? "v1" : gvk.getVersion()));
        } else if (!(apiVersion instanceof String)) {
            throw new InvalidReviewException(field + ".apiVersion must be a string, found " + describe(apiVersion));
        }
        Object typed;
        try {
            typed = serialization.convertValue(m, KubernetesResource.class);
        } catch (RuntimeException e) {
            throw invalid(e, field);
        }
        if (typed instanceof HasMetadata h) {
            return h;
        }
        throw new InvalidReviewException(field + " is not a Kubernetes object (" + m.get("apiVersion") + " " + m.get("kind") + ")");
    }

    /** Kubernetes before 1.22 sent the ephemeralcontainers subresource as an EphemeralContainers object. */
    private HasMetadata ephemeralContainersAsPod(Map<String, Object> m, String field) {
        try {
            Pod pod = new Pod();
            pod.setApiVersion("v1");
            pod.setKind("Pod");
            pod.setMetadata(m.get("metadata") == null ? new ObjectMeta() : serialization.convertValue(m.get("metadata"), ObjectMeta.class));
            PodSpec spec = new PodSpec();
            List<EphemeralContainer> list = new ArrayList<>();
            if (m.get("ephemeralContainers") instanceof List<?> l) {
                for (Object o : l) {
                    list.add(serialization.convertValue(o, EphemeralContainer.class));
                }
            } else if (m.get("ephemeralContainers") != null) {
                throw new InvalidReviewException(field + ".ephemeralContainers must be a list");
            }
            spec.setEphemeralContainers(list);
            pod.setSpec(spec);
            return pod;
        } catch (InvalidReviewException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid(e, field);
        }
    }

    /** A clear 400 message from a parse or mapping error: where, and what. */
    static InvalidReviewException invalid(RuntimeException e, String prefix) {
        JacksonException j = null;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException je) {
                j = je;
                break;
            }
        }
        if (j == null) {
            return new InvalidReviewException((prefix.isEmpty() ? "the body" : prefix) + " could not be read: " + e.getMessage(), e);
        }
        StringBuilder path = new StringBuilder(prefix);
        for (JacksonException.Reference ref : j.getPath()) {
            if (ref.getPropertyName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        String what = j.getOriginalMessage() == null ? j.getClass().getSimpleName() : firstLine(j.getOriginalMessage());
        String where = "";
        if (j.getLocation() != null && j.getLocation().getLineNr() > 0 && prefix.isEmpty()) {
            where = " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        }
        if (path.length() == 0) {
            return new InvalidReviewException("malformed JSON" + where + ": " + what, e);
        }
        return new InvalidReviewException(path + ": wrong shape" + where + ": " + what, e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static String describe(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof List) {
            return "a list";
        }
        return v.getClass().getSimpleName();
    }

    /** The answer to a request, in the request's API version, as JSON. */
    byte[] write(ReviewRequest request, AdmissionDecision decision) {
        AdmissionReview review = review(request.apiVersion(), decision);
        return serialization instanceof AdmissionSerialization onePass ? onePass.writeReview(review)
                : serialization.asJson(review).getBytes(StandardCharsets.UTF_8);
    }

    static AdmissionReview review(String apiVersion, AdmissionDecision d) {
        AdmissionResponse response = new AdmissionResponse();
        response.setUid(d.uid());
        response.setAllowed(d.allowed());
        if (!d.allowed()) {
            response.setStatus(new StatusBuilder().withStatus("Failure").withCode(d.code()).withReason(d.reason())
                    .withMessage(d.message()).build());
        }
        if (!d.warnings().isEmpty()) {
            response.setWarnings(new ArrayList<>(d.warnings()));
        }
        if (!d.auditAnnotations().isEmpty()) {
            response.setAuditAnnotations(new LinkedHashMap<>(d.auditAnnotations()));
        }
        if (d.patch() != null) {
            response.setPatchType("JSONPatch");
            response.setPatch(Base64.getEncoder().encodeToString(d.patch().getBytes(StandardCharsets.UTF_8)));
        }
        AdmissionReview out = new AdmissionReview();
        out.setApiVersion(apiVersion);
        out.setKind("AdmissionReview");
        out.setResponse(response);
        return out;
    }
}
