package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodSecurityPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.kubeward.engine.InputObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Objects for the tests, written as YAML the way users write them. */
final class Fixtures {

    static final ObjectMapper YAML = YAMLMapper.builder().build();

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Pod", Pod.class, "Deployment", Deployment.class, "DaemonSet", DaemonSet.class, "CronJob", CronJob.class,
            "PodSecurityPolicy", PodSecurityPolicy.class, "ClusterRole", ClusterRole.class,
            "ClusterRoleBinding", ClusterRoleBinding.class, "Role", Role.class, "RoleBinding", RoleBinding.class);

    private Fixtures() {
    }

    /** Every document of a multi-document YAML text. */
    static List<InputObject> objects(String yaml) {
        List<InputObject> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank()) {
                continue;
            }
            Map<?, ?> map = YAML.readValue(doc, Map.class);
            Class<? extends HasMetadata> type = KINDS.getOrDefault(String.valueOf(map.get("kind")), GenericKubernetesResource.class);
            if (type == PodSecurityPolicy.class && !"policy/v1beta1".equals(map.get("apiVersion"))) {
                type = GenericKubernetesResource.class;
            }
            out.add(InputObject.of(YAML.convertValue(map, type)));
        }
        return out;
    }

    static InputObject object(String yaml) {
        List<InputObject> all = objects(yaml);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one document, found " + all.size());
        }
        return all.get(0);
    }

    static PodSecurityPolicyView policy(String yaml) {
        return PodSecurityPolicyView.of(object(yaml));
    }

    /** A policy with the four required rules set to RunAsAny, plus the given spec lines (indented by 2). */
    static String policyYaml(String name, String specLines) {
        return "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: " + name + "\nspec:\n"
                + "  runAsUser: {rule: RunAsAny}\n  seLinux: {rule: RunAsAny}\n"
                + "  supplementalGroups: {rule: RunAsAny}\n  fsGroup: {rule: RunAsAny}\n"
                + specLines.stripTrailing().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
