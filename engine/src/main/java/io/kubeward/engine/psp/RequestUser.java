package io.kubeward.engine.psp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who asks the API server to create a pod: a user name and its groups, as an authenticator
 * reports them. {@link #of} adds {@code system:authenticated} as every authenticator does for a
 * named user; the record's constructor takes the groups exactly as given.
 */
public record RequestUser(String name, List<String> groups) {

    public static final String AUTHENTICATED = "system:authenticated";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String ANONYMOUS = "system:anonymous";
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    public static final String SERVICE_ACCOUNTS = "system:serviceaccounts";

    public RequestUser {
        Objects.requireNonNull(name, "name");
        groups = List.copyOf(groups == null ? List.of() : groups);
    }

    /**
     * An authenticated user with its groups, plus {@code system:authenticated} (or, for
     * {@code system:anonymous}, {@code system:unauthenticated}).
     */
    public static RequestUser of(String name, List<String> groups) {
        List<String> all = new ArrayList<>(groups == null ? List.of() : groups);
        String implied = ANONYMOUS.equals(name) ? UNAUTHENTICATED : AUTHENTICATED;
        if (!all.contains(implied)) {
            all.add(implied);
        }
        return new RequestUser(name, all);
    }

    public static RequestUser of(String name, String... groups) {
        return of(name, List.of(groups));
    }

    /**
     * A service account as the API server authenticates it:
     * {@code system:serviceaccount:<namespace>:<name>} in the groups {@code system:serviceaccounts},
     * {@code system:serviceaccounts:<namespace>} and {@code system:authenticated}.
     */
    public static RequestUser serviceAccount(String namespace, String name) {
        return new RequestUser(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name,
                List.of(SERVICE_ACCOUNTS, SERVICE_ACCOUNTS + ":" + namespace, AUTHENTICATED));
    }

    public boolean isServiceAccount() {
        return name.startsWith(SERVICE_ACCOUNT_PREFIX);
    }

    /** e.g. {@code alice (groups: devs, system:authenticated)}. */
    public String display() {
        return groups.isEmpty() ? name : name + " (groups: " + String.join(", ", groups) + ")";
    }
}
