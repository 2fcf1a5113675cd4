package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.PodSecurityPolicyView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The manifests of deploy/webhook hold together, and the webhook's own Deployment passes its rules. */
class DeployManifestTest {

    static final Path DIR = Path.of(System.getProperty("kubeward.root", "../..")).resolve("deploy/webhook");

    static List<HasMetadata> objects() throws IOException {
        KubernetesSerialization yaml = new KubernetesSerialization();
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                // the CA bundle is filled in at install time; any base64 stands in for it here
                String text = Files.readString(f).replace("${CA_BUNDLE}", "Y2E=");
                for (String doc : text.split("(?m)^---$")) {
                    if (!doc.strip().isEmpty()) {
                        out.add(yaml.unmarshal(doc, HasMetadata.class));
                    }
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T> T one(List<HasMetadata> objects, Class<T> type) {
        return (T) objects.stream().filter(type::isInstance).findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
    }

    @Test
    void theWebhookConfigurationsFailClosedDeclareTheirSideEffectsAndLeaveOutSystemNamespaces() throws IOException {
        List<HasMetadata> objects = objects();
        ValidatingWebhookConfiguration v = one(objects, ValidatingWebhookConfiguration.class);
        MutatingWebhookConfiguration m = one(objects, MutatingWebhookConfiguration.class);
        var vw = v.getWebhooks().get(0);
        var mw = m.getWebhooks().get(0);
        assertEquals("/validate", vw.getClientConfig().getService().getPath());
        assertEquals("/mutate", mw.getClientConfig().getService().getPath());
        // validating: an audit line for a real request, nothing on dryRun; mutating: nothing at all
        assertEquals("NoneOnDryRun", vw.getSideEffects());
        assertEquals("None", mw.getSideEffects());
        for (var w : List.of(new Object[] {vw.getFailurePolicy(), vw.getTimeoutSeconds(), vw.getNamespaceSelector().getMatchExpressions(), vw.getRules()},
                new Object[] {mw.getFailurePolicy(), mw.getTimeoutSeconds(), mw.getNamespaceSelector().getMatchExpressions(), mw.getRules()})) {
            assertEquals("Fail", w[0]);
            assertTrue((Integer) w[1] > 0 && (Integer) w[1] <= 10);
            @SuppressWarnings("unchecked")
            LabelSelectorRequirement notIn = ((List<LabelSelectorRequirement>) w[2]).get(0);
            assertEquals("kubernetes.io/metadata.name", notIn.getKey());
            assertEquals("NotIn", notIn.getOperator());
            assertTrue(notIn.getValues().containsAll(List.of("kube-system", "kubeward")));
            assertTrue(w[3].toString().contains("pods/ephemeralcontainers") && w[3].toString().contains("cronjobs"), w[3].toString());
        }
        assertEquals(List.of("v1", "v1beta1"), vw.getAdmissionReviewVersions());
    }

    @Test
    void theConfigurationParsesAndTheDeploymentMountsWhatItsArgumentsName() throws IOException {
        List<HasMetadata> objects = objects();
        ConfigMap config = one(objects, ConfigMap.class);
        AdmissionConfig parsed = AdmissionConfig.parse(config.getData().get("admission.yaml"), "20-config.yaml");
        assertTrue(parsed.exemptions().namespaces().contains("kubeward"));
        Deployment d = one(objects, Deployment.class);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getArgs().contains("--tls-cert=/etc/kubeward/tls/tls.crt"));
        assertTrue(c.getArgs().contains("--config=/etc/kubeward/config/admission.yaml"));
        assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/etc/kubeward/tls")));
        assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/etc/kubeward/config")));
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
    }

    @Test
    void thePodSecurityPolicyAddOnIsValidMountedByItsPatchAndDefaultsAPlainPod() throws IOException {
        Path dir = DIR.resolve("psp");
        KubernetesSerialization yaml = new KubernetesSerialization();
        ConfigMap config = yaml.unmarshal(Files.readString(dir.resolve("20-policies.yaml")), ConfigMap.class);
        List<InputObject> objects = new ArrayList<>();
        for (String doc : config.getData().get("policies.yaml").split("(?m)^---$")) {
            objects.add(InputObject.of(yaml.unmarshal(doc, HasMetadata.class)));
        }
        AdmissionPolicies policies = AdmissionPolicies.of(objects).requireValid();
        assertEquals(List.of("restricted"), policies.policies().stream().map(PodSecurityPolicyView::getName).toList());
        assertEquals(List.of(), policies.rbacWarnings());

        // the documented patch mounts the ConfigMap where --psp reads it
        Deployment deployment = one(objects(), Deployment.class);
        JsonNode patch = PspFixtures.JSON.readTree(Files.readString(dir.resolve("30-deployment-patch.json")));
        JsonNode patched = io.fabric8.zjsonpatch.JsonPatch.apply(patch, yaml.convertValue(deployment, JsonNode.class));
        Container c = yaml.convertValue(patched, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        String arg = c.getArgs().stream().filter(a -> a.startsWith("--psp=")).findFirst().orElseThrow();
        String volume = c.getVolumeMounts().stream().filter(m -> arg.equals("--psp=" + m.getMountPath())).findFirst().orElseThrow().getName();
        assertEquals(config.getMetadata().getName(), yaml.convertValue(patched, Deployment.class).getSpec().getTemplate().getSpec()
                .getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst().orElseThrow().getConfigMap().getName());

        // a plain pod of any authenticated user is admitted by restricted, defaulted to non-root
        AdmissionController controller = AdmissionController.builder().engine(TestEngines.shared()).auditLog(AuditLog.none())
                .defaulter(new PodSecurityPolicyDefaulter(TestEngines.podSecurityPolicies(),
                        PodSecurityPolicySource.fixed(policies))).build();
        byte[] review = PspFixtures.bytes("pod-create-plain.json");
        byte[] answer = controller.mutate(review);
        assertTrue(Reviews.allowed(answer), () -> new String(answer, java.nio.charset.StandardCharsets.UTF_8));
        JsonNode pod = PspFixtures.applyPatch(Reviews.patch(answer), PspFixtures.sentObject(review));
        assertTrue(pod.at("/spec/containers/0/securityContext/runAsNonRoot").asBoolean(), pod::toString);
        assertFalse(pod.at("/spec/containers/0/securityContext/allowPrivilegeEscalation").asBoolean(true), pod::toString);
        assertEquals(1, pod.at("/spec/securityContext/fsGroup").asInt());

        // the RBAC reader of --psp-rbac cluster may list and watch the four kinds
        String rbac = Files.readString(dir.resolve("10-rbac.yaml"));
        io.fabric8.kubernetes.api.model.rbac.ClusterRole reader = yaml.unmarshal(rbac.split("(?m)^---$")[0],
                io.fabric8.kubernetes.api.model.rbac.ClusterRole.class);
        assertTrue(reader.getRules().get(0).getVerbs().containsAll(List.of("list", "watch")));
        assertTrue(reader.getRules().get(0).getResources().containsAll(List.of("roles", "clusterroles", "rolebindings", "clusterrolebindings")));
    }

    @Test
    void theWebhooksOwnDeploymentIsAdmittedUnderRestricted() throws IOException {
        Deployment d = one(objects(), Deployment.class);
        AdmissionReview review = new AdmissionReviewBuilder().withApiVersion("admission.k8s.io/v1").withKind("AdmissionReview")
                .withNewRequest().withUid("deploy-test").withOperation("CREATE").withNamespace("kubeward").withName(d.getMetadata().getName())
                .withNewKind("apps", "Deployment", "v1").withObject(d).endRequest().build();
        AdmissionController c = AdmissionController.builder().engine(TestEngines.shared()).auditLog(AuditLog.none())
                .namespaceLabels(NamespaceLabels.fixed(Map.of("kubeward", Map.of("pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/warn", "restricted"))))
                .config(AdmissionConfig.DEFAULT.withGeneralRules(Mode.ENFORCE, io.kubeward.engine.Severity.LOW)
                        .withGeneralRules(Mode.WARN, io.kubeward.engine.Severity.INFO)).build();
        AdmissionReview answer = c.validate(review);
        assertTrue(answer.getResponse().getAllowed(), () -> String.valueOf(answer.getResponse().getStatus()));
        assertTrue(answer.getResponse().getWarnings() == null || answer.getResponse().getWarnings().isEmpty(),
                () -> answer.getResponse().getWarnings().toString());
    }
}
