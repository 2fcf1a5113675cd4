package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.ResourceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers, from the RBAC objects of an input, whether a user may {@code use} a PodSecurityPolicy
 * in a namespace, as the API server's RBAC authorizer did for the policy admission:
 * <ul>
 *   <li>a rule grants it with verb {@code use} (or {@code *}) on resource {@code podsecuritypolicies}
 *       (or {@code *}) in API group {@code policy} or {@code extensions} (or {@code *}), and either no
 *       {@code resourceNames} or the policy's name among them;</li>
 *   <li>a ClusterRoleBinding grants its ClusterRole's rules everywhere; a RoleBinding grants its
 *       Role's, or a ClusterRole's, rules in its own namespace only;</li>
 *   <li>a binding applies to a User by name, a Group the user is in, or a ServiceAccount (its
 *       namespace defaults to a RoleBinding's own);</li>
 *   <li>an aggregated ClusterRole has the rules of every ClusterRole its selectors match.</li>
 * </ul>
 * Objects without a namespace are taken to be in {@code default}. Immutable, thread-safe.
 */
public final class RbacAuthorizer {

    public static final String RBAC_GROUP = "rbac.authorization.k8s.io";
    static final String DEFAULT_NAMESPACE = "default";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** A binding that lets a user use a policy: which binding, which role, which subject matched. */
    public record Grant(ResourceRef binding, ResourceRef role, String subject) {
        /** e.g. {@code ClusterRoleBinding/psp-bob -> ClusterRole/psp-privileged for User bob}. */
        public String display() {
            return binding.display() + " -> " + role.display() + " for " + subject;
        }
    }

    private record Binding(ResourceRef ref, String namespace, RoleRef roleRef, List<Subject> subjects) {
    }

    private final Map<String, ClusterRole> clusterRoles = new LinkedHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    private final Map<String, List<PolicyRule>> clusterRoleRules = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private RbacAuthorizer() {
    }

    /** True for Role, ClusterRole, RoleBinding and ClusterRoleBinding of the RBAC API group. */
    public static boolean isRbacObject(HasMetadata o) {
        if (o == null || o.getApiVersion() == null || !o.getApiVersion().startsWith(RBAC_GROUP + "/")) {
            return false;
        }
        return switch (o.getKind() == null ? "" : o.getKind()) {
            case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding" -> true;
            default -> false;
        };
    }

    /** The RBAC objects among the inputs; every other object is ignored. */
    public static RbacAuthorizer of(Collection<InputObject> objects) {
        RbacAuthorizer a = new RbacAuthorizer();
        for (InputObject in : objects) {
            HasMetadata o = in.object();
            if (!isRbacObject(o)) {
                continue;
            }
            try {
                a.add(o);
            } catch (RuntimeException e) {
                a.warnings.add(in.ref().display() + " cannot be read as RBAC: " + e.getMessage());
            }
        }
        a.resolveClusterRoles();
        return a;
    }

    private void add(HasMetadata o) {
        switch (o.getKind()) {
            case "ClusterRole" -> {
                ClusterRole r = as(o, ClusterRole.class);
                clusterRoles.put(nameOf(o), r);
            }
            case "Role" -> roles.put(namespaceOf(o) + "/" + nameOf(o), as(o, Role.class));
            case "ClusterRoleBinding" -> {
                ClusterRoleBinding b = as(o, ClusterRoleBinding.class);
                if (b.getRoleRef() != null && !"ClusterRole".equals(b.getRoleRef().getKind())) {
                    warnings.add(ResourceRef.of(o).display() + " refers to a " + b.getRoleRef().getKind()
                            + "; a ClusterRoleBinding can only grant a ClusterRole, so it grants nothing");
                    return;
                }
                bindings.add(new Binding(ResourceRef.of(o), null, b.getRoleRef(), b.getSubjects() == null ? List.of() : b.getSubjects()));
            }
            case "RoleBinding" -> {
                RoleBinding b = as(o, RoleBinding.class);
                bindings.add(new Binding(ResourceRef.of(o), namespaceOf(o), b.getRoleRef(), b.getSubjects() == null ? List.of() : b.getSubjects()));
            }
            default -> {
            }
        }
    }

    private static <T> T as(HasMetadata o, Class<T> type) {
        // rbac.authorization.k8s.io/v1beta1 and v1alpha1 objects have the v1 shape
        return type.isInstance(o) ? type.cast(o) : MAPPER.convertValue(o, type);
    }

    private static String nameOf(HasMetadata o) {
        return o.getMetadata() == null ? null : o.getMetadata().getName();
    }

    private static String namespaceOf(HasMetadata o) {
        String ns = o.getMetadata() == null ? null : o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? DEFAULT_NAMESPACE : ns;
    }

    private void resolveClusterRoles() {
        for (Map.Entry<String, ClusterRole> e : clusterRoles.entrySet()) {
            List<PolicyRule> rules = new ArrayList<>(rulesOf(e.getValue().getRules()));
            AggregationRule agg = e.getValue().getAggregationRule();
            if (agg != null && agg.getClusterRoleSelectors() != null) {
                for (ClusterRole other : clusterRoles.values()) {
                    if (other == e.getValue()) {
                        continue;
                    }
                    Map<String, String> labels = other.getMetadata() == null ? null : other.getMetadata().getLabels();
                    if (agg.getClusterRoleSelectors().stream().anyMatch(s -> selects(s, labels))) {
                        rules.addAll(rulesOf(other.getRules()));
                    }
                }
            }
            clusterRoleRules.put(e.getKey(), rules);
        }
    }

    private static List<PolicyRule> rulesOf(List<PolicyRule> rules) {
        return rules == null ? List.of() : rules;
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(l.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String v = l.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator() == null ? "" : r.getOperator()) {
                    case "In" -> v != null && values.contains(v);
                    case "NotIn" -> v == null || !values.contains(v);
                    case "Exists" -> l.containsKey(r.getKey());
                    case "DoesNotExist" -> !l.containsKey(r.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Bindings that refer to roles of the wrong kind, and objects that could not be read. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>(warnings);
        for (Binding b : bindings) {
            if (b.roleRef() == null || b.roleRef().getName() == null) {
                out.add(b.ref().display() + " has no roleRef, so it grants nothing");
            } else if ("ClusterRole".equals(b.roleRef().getKind()) && !clusterRoles.containsKey(b.roleRef().getName())) {
                out.add(b.ref().display() + " refers to ClusterRole/" + b.roleRef().getName() + ", which is not in the input");
            } else if ("Role".equals(b.roleRef().getKind()) && !roles.containsKey(b.namespace() + "/" + b.roleRef().getName())) {
                out.add(b.ref().display() + " refers to Role/" + b.namespace() + "/" + b.roleRef().getName() + ", which is not in the input");
            }
        }
        return out;
    }

    /**
     * The first binding (in input order) that lets the user {@code use} the policy for a pod in the
     * namespace, or empty when none does.
     */
    public Optional<Grant> grantToUse(RequestUser user, String namespace, String policyName) {
        String ns = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
        for (Binding b : bindings) {
            if (b.namespace() != null && !b.namespace().equals(ns)) {
                continue;
            }
            Optional<String> subject = matchingSubject(b, user);
            if (subject.isEmpty()) {
                continue;
            }
            Optional<ResourceRef> role = roleGrantingUse(b, policyName);
            if (role.isPresent()) {
                return Optional.of(new Grant(b.ref(), role.get(), subject.get()));
            }
        }
        return Optional.empty();
    }

    private Optional<String> matchingSubject(Binding b, RequestUser user) {
        for (Subject s : b.subjects()) {
            if (s == null || s.getKind() == null || s.getName() == null) {
                continue;
            }
            switch (s.getKind()) {
                case "User" -> {
                    if (s.getName().equals(user.name())) {
                        return Optional.of("User " + s.getName());
                    }
                }
                case "Group" -> {
                    if (user.groups().contains(s.getName())) {
                        return Optional.of("Group " + s.getName());
                    }
                }
                case "ServiceAccount" -> {
                    String saNamespace = s.getNamespace() != null && !s.getNamespace().isEmpty() ? s.getNamespace() : b.namespace();
                    if (saNamespace != null && user.name().equals(RequestUser.SERVICE_ACCOUNT_PREFIX + saNamespace + ":" + s.getName())) {
                        return Optional.of("ServiceAccount " + saNamespace + "/" + s.getName());
                    }
                }
                default -> {
                }
            }
        }
        return Optional.empty();
    }

    private Optional<ResourceRef> roleGrantingUse(Binding b, String policyName) {
        RoleRef ref = b.roleRef();
        if (ref == null || ref.getName() == null) {
            return Optional.empty();
        }
        if ("ClusterRole".equals(ref.getKind())) {
            ClusterRole role = clusterRoles.get(ref.getName());
            if (role != null && grantsUse(clusterRoleRules.get(ref.getName()), policyName)) {
                return Optional.of(ResourceRef.of(role));
            }
        } else if ("Role".equals(ref.getKind()) && b.namespace() != null) {
            Role role = roles.get(b.namespace() + "/" + ref.getName());
            if (role != null && grantsUse(rulesOf(role.getRules()), policyName)) {
                return Optional.of(ResourceRef.of(role));
            }
        }
        return Optional.empty();
    }

    static boolean grantsUse(List<PolicyRule> rules, String policyName) {
        for (PolicyRule r : rules) {
            if (r == null) {
                continue;
            }
            if (!anyOf(r.getVerbs(), "use") || !anyOf(r.getResources(), "podsecuritypolicies")) {
                continue;
            }
            if (!anyOf(r.getApiGroups(), "policy") && !anyOf(r.getApiGroups(), "extensions")) {
                continue;
            }
            List<String> names = r.getResourceNames();
            if (names == null || names.isEmpty() || names.contains(policyName)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyOf(List<String> values, String wanted) {
        return values != null && (values.contains(wanted) || values.contains("*"));
    }
}
