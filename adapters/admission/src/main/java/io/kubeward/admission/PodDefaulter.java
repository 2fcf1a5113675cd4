package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The mutating webhook's work: fills in defaults on a pod or a workload's pod template (the
 * PodSecurityPolicy-style defaulting of {@link PodSecurityPolicyDefaulter}, say) and says how as an
 * RFC 6902 JSON patch, which the controller answers base64-encoded with {@code patchType: JSONPatch};
 * or refuses the object ({@link Mutation#deny}), which the controller answers with status 403.
 * Called for CREATE and UPDATE of pods and workload kinds that are not exempt, from many threads at
 * once, for {@code dryRun} requests too: an implementation must have no side effects on those. An
 * exception fails the review open or closed as configured.
 *
 * <p>{@code kubeward serve --psp} uses {@link PodSecurityPolicyDefaulter}; otherwise the server finds
 * an implementation through {@link ServiceLoader} (a
 * {@code META-INF/services/io.kubeward.admission.PodDefaulter} entry); without one, {@code /mutate}
 * allows everything unchanged.
 */
@FunctionalInterface
public interface PodDefaulter {

    /** The defaults for one object, {@link Mutation#NONE} when nothing changes, or a denial. */
    Mutation defaults(MutationRequest request);

    /**
     * The validating webhook's check of the same policies: why the object as it arrives there
     * (after every mutating webhook) must be refused, or null when it may be admitted. Called for
     * the requests {@code /validate} checks (CREATE and UPDATE of pods and workload kinds that are
     * not exempt, the {@code ephemeralcontainers} subresource too), dry runs included. None by default.
     */
    default String refusal(MutationRequest request) {
        return null;
    }

    /** False while the defaulter cannot decide yet (a cache of the cluster still filling); the server is then not ready. */
    default boolean isReady() {
        return true;
    }

    /**
     * What is being admitted, and by whom.
     *
     * @param object          the object as sent (a pod, or a workload with its pod template)
     * @param operation       {@code CREATE} or {@code UPDATE}
     * @param namespace       the request's namespace
     * @param namespaceLabels the labels of the object's namespace (an empty map when none)
     * @param username        {@code request.userInfo.username}: the requester as authenticated (null when the review names none)
     * @param dryRun          true for a dry run: answer the same, change nothing
     * @param groups          {@code request.userInfo.groups}; empty when the review names none
     * @param userUid         {@code request.userInfo.uid}, or null
     * @param oldObject       the object before an UPDATE; null for CREATE
     */
    record MutationRequest(HasMetadata object, String operation, String namespace, Map<String, String> namespaceLabels,
                           String username, boolean dryRun, List<String> groups, String userUid, HasMetadata oldObject) {

        public MutationRequest {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        /** A request without the requester's groups and uid, nor the old object. */
        public MutationRequest(HasMetadata object, String operation, String namespace, Map<String, String> namespaceLabels,
                               String username, boolean dryRun) {
            this(object, operation, namespace, namespaceLabels, username, dryRun, List.of(), null, null);
        }

        public boolean isUpdate() {
            return "UPDATE".equals(operation);
        }
    }

    /**
     * The outcome of defaulting.
     *
     * @param defaulted        the object with the defaults in (null when nothing changes)
     * @param jsonPatch        an RFC 6902 JSON patch (a JSON array) that turns the object as sent into {@code defaulted}
     * @param warnings         messages for the user, returned as admission warnings
     * @param denial           why the object is refused (answered with status 403); null when it is admitted
     * @param auditAnnotations annotations for the API server's audit log (the API server prefixes the webhook's name)
     */
    record Mutation(HasMetadata defaulted, String jsonPatch, List<String> warnings, String denial,
                    Map<String, String> auditAnnotations) {

        public static final Mutation NONE = new Mutation(null, "[]", List.of());

        public Mutation {
            jsonPatch = jsonPatch == null ? "[]" : jsonPatch;
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
            auditAnnotations = auditAnnotations == null ? Map.of() : Map.copyOf(auditAnnotations);
        }

        /** Admits the object, changed by the patch (or unchanged with {@code "[]"}). */
        public Mutation(HasMetadata defaulted, String jsonPatch, List<String> warnings) {
            this(defaulted, jsonPatch, warnings, null, Map.of());
        }

        /** Refuses the object: the review is denied with status 403 and the message. */
        public static Mutation deny(String message, List<String> warnings, Map<String, String> auditAnnotations) {
            return new Mutation(null, "[]", warnings, Objects.requireNonNull(message, "message"), auditAnnotations);
        }

        public boolean denied() {
            return denial != null;
        }

        public boolean changes() {
            return !denied() && !jsonPatch.isBlank() && !jsonPatch.replaceAll("\\s", "").equals("[]");
        }
    }

    /** The first implementation found on the class path, or null. */
    static PodDefaulter discover(ClassLoader loader) {
        return ServiceLoader.load(PodDefaulter.class, loader).findFirst().orElse(null);
    }
}
