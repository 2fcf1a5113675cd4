package io.kubeward.engine.psp;

import static io.kubeward.engine.psp.Fixtures.objects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RbacAuthorizerTest {

    /** The chapter's bindings: a default policy for every authenticated user, the privileged one for bob. */
    static final String CHAPTER = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: psp-default}
            rules:
            - apiGroups: [policy]
              resources: [podsecuritypolicies]
              resourceNames: [default]
              verbs: [use]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: psp-privileged}
            rules:
            - apiGroups: [extensions]
              resources: [podsecuritypolicies]
              resourceNames: [privileged]
              verbs: [use]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: psp-all-users}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-default}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: psp-bob}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-privileged}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}
            """;

    @Test
    void theChaptersBindings() {
        RbacAuthorizer rbac = RbacAuthorizer.of(objects(CHAPTER));
        RequestUser alice = RequestUser.of("alice");
        RequestUser bob = RequestUser.of("bob");
        assertTrue(rbac.grantToUse(alice, "default", "default").isPresent(), "every authenticated user may use default");
        assertFalse(rbac.grantToUse(alice, "default", "privileged").isPresent(), "only bob may use privileged");
        RbacAuthorizer.Grant g = rbac.grantToUse(bob, "default", "privileged").orElseThrow();
        assertEquals("ClusterRoleBinding/psp-bob -> ClusterRole/psp-privileged for User bob", g.display());
        assertEquals("ClusterRoleBinding/psp-all-users -> ClusterRole/psp-default for Group system:authenticated",
                rbac.grantToUse(bob, "web", "default").orElseThrow().display());
        assertFalse(rbac.grantToUse(new RequestUser("carol", List.of()), "default", "default").isPresent(),
                "without system:authenticated the group binding does not apply");
        assertFalse(rbac.grantToUse(RequestUser.of("system:anonymous"), "default", "default").isPresent());
        assertEquals(List.of(), rbac.warnings());
    }

    @Test
    void aRoleBindingGrantsOnlyInItsNamespace() {
        RbacAuthorizer rbac = RbacAuthorizer.of(objects("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: use-restricted, namespace: team-a}
                rules:
                - {apiGroups: ["policy"], resources: ["podsecuritypolicies"], verbs: ["use"]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: team-a-psp, namespace: team-a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-restricted}
                subjects:
                - {kind: ServiceAccount, name: builder}
                - {kind: Group, name: "system:serviceaccounts:team-a"}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: any-psp}
                rules:
                - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: ops-any-psp, namespace: ops}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: any-psp}
                subjects:
                - {kind: User, name: olga}
                """));
        RequestUser builder = RequestUser.serviceAccount("team-a", "builder");
        assertEquals("system:serviceaccount:team-a:builder", builder.name());
        assertEquals(List.of("system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"), builder.groups());
        assertEquals("RoleBinding/team-a/team-a-psp -> Role/team-a/use-restricted for ServiceAccount team-a/builder",
                rbac.grantToUse(builder, "team-a", "restricted").orElseThrow().display(),
                "a ServiceAccount subject without namespace is in the RoleBinding's");
        assertEquals("Group system:serviceaccounts:team-a",
                rbac.grantToUse(RequestUser.serviceAccount("team-a", "default"), "team-a", "restricted").orElseThrow().subject());
        assertFalse(rbac.grantToUse(builder, "team-b", "restricted").isPresent(), "a Role grants only in its namespace");
        assertFalse(rbac.grantToUse(RequestUser.serviceAccount("team-b", "builder"), "team-a", "restricted").isPresent());
        assertTrue(rbac.grantToUse(RequestUser.of("olga"), "ops", "privileged").isPresent(), "wildcards grant use of every policy");
        assertFalse(rbac.grantToUse(RequestUser.of("olga"), "default", "privileged").isPresent(),
                "a RoleBinding to a ClusterRole grants only in the binding's namespace");
    }

    @Test
    void onlyVerbUseOnPodSecurityPoliciesOfThePolicyGroupsGrants() {
        String template = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: r}
                rules:
                - {apiGroups: [%s], resources: [%s], verbs: [%s], resourceNames: [%s]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: b}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
                subjects: [{kind: User, name: alice}]
                """;
        RequestUser alice = RequestUser.of("alice");
        assertTrue(grants(template, "policy", "podsecuritypolicies", "use", "default", alice));
        assertTrue(grants(template, "extensions", "podsecuritypolicies", "use", "default", alice));
        assertTrue(grants(template, "policy", "podsecuritypolicies", "use", "", alice), "no resourceNames: every policy");
        assertFalse(grants(template, "policy", "podsecuritypolicies", "get, list", "default", alice), "get is not use");
        assertFalse(grants(template, "apps", "podsecuritypolicies", "use", "default", alice), "wrong API group");
        assertFalse(grants(template, "policy", "pods", "use", "default", alice), "wrong resource");
        assertFalse(grants(template, "policy", "podsecuritypolicies", "use", "other", alice), "another policy's name");
        assertFalse(grants(template, "policy", "podsecuritypolicies", "use", "default", RequestUser.of("bob")), "another user");
    }

    private static boolean grants(String template, String groups, String resources, String verbs, String names, RequestUser user) {
        RbacAuthorizer rbac = RbacAuthorizer.of(objects(template.formatted(groups, resources, verbs, names)));
        return rbac.grantToUse(user, "default", "default").isPresent();
    }

    @Test
    void aggregatedClusterRolesHaveTheRulesOfTheRolesTheySelect() {
        RbacAuthorizer rbac = RbacAuthorizer.of(objects("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: psp-users}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchLabels: {example.com/aggregate-to-psp-users: "true"}
                  - matchExpressions: [{key: tier, operator: In, values: [psp]}]
                rules: []
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: use-default, labels: {example.com/aggregate-to-psp-users: "true"}}
                rules: [{apiGroups: [policy], resources: [podsecuritypolicies], resourceNames: [default], verbs: [use]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: use-web, labels: {tier: psp}}
                rules: [{apiGroups: [policy], resources: [podsecuritypolicies], resourceNames: [web], verbs: [use]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: use-privileged}
                rules: [{apiGroups: [policy], resources: [podsecuritypolicies], resourceNames: [privileged], verbs: [use]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: devs}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-users}
                subjects: [{kind: Group, name: devs}]
                """));
        RequestUser dev = RequestUser.of("dana", "devs");
        assertTrue(rbac.grantToUse(dev, "default", "default").isPresent());
        assertTrue(rbac.grantToUse(dev, "default", "web").isPresent());
        assertFalse(rbac.grantToUse(dev, "default", "privileged").isPresent(), "an unselected role is not aggregated");
    }

    @Test
    void bindingsThatGrantNothingAreTold() {
        RbacAuthorizer rbac = RbacAuthorizer.of(objects("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: to-a-role}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
                subjects: [{kind: User, name: alice}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: dangling, namespace: web}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-web}
                subjects: [{kind: User, name: alice}]
                """));
        assertEquals(List.of(
                "ClusterRoleBinding/to-a-role refers to a Role; a ClusterRoleBinding can only grant a ClusterRole, so it grants nothing",
                "RoleBinding/web/dangling refers to ClusterRole/psp-web, which is not in the input"), rbac.warnings());
        assertFalse(rbac.grantToUse(RequestUser.of("alice"), "web", "x").isPresent());
    }

    @Test
    void theUserOfARequestIsAuthenticated() {
        assertEquals(List.of("devs", "system:authenticated"), RequestUser.of("alice", "devs").groups());
        assertEquals(List.of("system:unauthenticated"), RequestUser.of("system:anonymous").groups());
        assertEquals("alice (groups: devs, system:authenticated)", RequestUser.of("alice", "devs").display());
        assertTrue(RequestUser.serviceAccount("ns", "sa").isServiceAccount());
    }
}
