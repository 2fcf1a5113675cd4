package io.kubeward.admission;

import java.util.Set;

/**
 * Requests kubeward does not check, as Pod Security Admission's configuration has them: by the
 * requesting user's name, by namespace, and by the pod's {@code runtimeClassName}. An exempt
 * request is allowed without evaluation, in every mode.
 */
public record Exemptions(Set<String> usernames, Set<String> namespaces, Set<String> runtimeClasses) {

    public static final Exemptions NONE = new Exemptions(Set.of(), Set.of(), Set.of());

    public Exemptions {
        usernames = usernames == null ? Set.of() : Set.copyOf(usernames);
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        runtimeClasses = runtimeClasses == null ? Set.of() : Set.copyOf(runtimeClasses);
    }

    /** Which exemption applies ("username", "namespace", "runtimeClass"), or null. */
    String reason(String username, String namespace, String runtimeClassName) {
        if (username != null && usernames.contains(username)) {
            return "username";
        }
        if (namespace != null && namespaces.contains(namespace)) {
            return "namespace";
        }
        if (runtimeClassName != null && runtimeClasses.contains(runtimeClassName)) {
            return "runtimeClass";
        }
        return null;
    }
}
