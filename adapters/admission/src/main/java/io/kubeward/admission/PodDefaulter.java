package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The mutating webhook's work: fills in defaults on a pod or a workload's pod template (the
 * PodSecurityPolicy-style defaulting, say) and says how as an RFC 6902 JSON patch, which the
 * controller answers base64-encoded with {@code patchType: JSONPatch}. Called for CREATE and UPDATE
 * of pods and workload kinds that are not exempt, from many threads at once. An exception fails
 * the review open or closed as configured.
 *
 * <p>The webhook server finds an implementation through {@link ServiceLoader} (a
 * {@code META-INF/services/io.kubeward.admission.PodDefaulter} entry); without one,
 * {@code /mutate} allows everything unchanged.
 */
@FunctionalInterface
public interface PodDefaulter {

    /** The defaults for one object, or {@link Mutation#NONE} when nothing changes. */
    Mutation defaults(MutationRequest request);

    /**
     * What is being admitted.
     *
     * @param namespaceLabels the labels of the object's namespace (an empty map when none)
     */
    record MutationRequest(HasMetadata object, String operation, String namespace, Map<String, String> namespaceLabels,
                           String username, boolean dryRun) {
    }

    /**
     * The outcome of defaulting.
     *
     * @param defaulted the object with the defaults in (null when nothing changes)
     * @param jsonPatch an RFC 6902 JSON patch (a JSON array) that turns the object into {@code defaulted}
     * @param warnings  messages for the user, returned as admission warnings
     */
    record Mutation(HasMetadata defaulted, String jsonPatch, List<String> warnings) {

        public static final Mutation NONE = new Mutation(null, "[]", List.of());

        public Mutation {
            jsonPatch = jsonPatch == null ? "[]" : jsonPatch;
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        public boolean changes() {
            return !jsonPatch.isBlank() && !jsonPatch.replaceAll("\\s", "").equals("[]");
        }
    }

    /** The first implementation found on the class path, or null. */
    static PodDefaulter discover(ClassLoader loader) {
        return ServiceLoader.load(PodDefaulter.class, loader).findFirst().orElse(null);
    }
}
