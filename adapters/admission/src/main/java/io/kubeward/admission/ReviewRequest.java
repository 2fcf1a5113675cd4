package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Locale;

/**
 * The request of an AdmissionReview, whichever its API version, with its objects already read
 * into fabric8 types.
 *
 * @param apiVersion  {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}: the answer's
 * @param kind        the kind of the object, from {@code request.kind.kind}
 * @param subResource e.g. {@code ephemeralcontainers}; null for the resource itself
 * @param object      the object for CREATE and UPDATE; null otherwise
 * @param oldObject   the object before an UPDATE; null otherwise
 * @param username    {@code request.userInfo.username}, as the API server authenticated the requester
 * @param groups      {@code request.userInfo.groups}; empty when the review names none
 * @param userUid     {@code request.userInfo.uid}; null when the review names none
 */
public record ReviewRequest(
        String apiVersion,
        String uid,
        String kind,
        String resource,
        String subResource,
        Operation operation,
        String namespace,
        String name,
        HasMetadata object,
        HasMetadata oldObject,
        String username,
        boolean dryRun,
        List<String> groups,
        String userUid) {

    public ReviewRequest {
        // a null among the groups names no group
        groups = groups == null ? List.of() : groups.stream().filter(java.util.Objects::nonNull).toList();
    }

    /** A request without the requester's groups and uid (as before they were read). */
    public ReviewRequest(String apiVersion, String uid, String kind, String resource, String subResource, Operation operation,
                         String namespace, String name, HasMetadata object, HasMetadata oldObject, String username, boolean dryRun) {
        this(apiVersion, uid, kind, resource, subResource, operation, namespace, name, object, oldObject, username, dryRun,
                List.of(), null);
    }

    /** The operations of the admission API. */
    public enum Operation {
        CREATE, UPDATE, DELETE, CONNECT;

        static Operation parse(String text) {
            if (text == null || text.isBlank()) {
                throw new InvalidReviewException("request.operation is missing; expected CREATE, UPDATE, DELETE or CONNECT");
            }
            try {
                return valueOf(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidReviewException("request.operation '" + text + "' is not CREATE, UPDATE, DELETE or CONNECT");
            }
        }
    }

    /** {@code Kind namespace/name} for messages. */
    public String display() {
        String n = name != null && !name.isEmpty() ? name
                : object != null && object.getMetadata() != null && object.getMetadata().getName() != null ? object.getMetadata().getName()
                : object != null && object.getMetadata() != null && object.getMetadata().getGenerateName() != null
                        ? object.getMetadata().getGenerateName() + "*" : "?";
        String k = kind == null ? "object" : kind;
        return namespace == null || namespace.isEmpty() ? k + " " + n : k + " " + namespace + "/" + n;
    }

    boolean isSubResource(String sub) {
        return subResource != null && subResource.toLowerCase(Locale.ROOT).equals(sub);
    }
}
