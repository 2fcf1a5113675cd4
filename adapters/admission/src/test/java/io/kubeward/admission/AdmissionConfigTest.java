package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PodSecurityProfile.Level;
import io.kubeward.engine.Severity;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdmissionConfigTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(AdmissionConfigTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void readsKubewardsOwnFile() throws Exception {
        AdmissionConfig c = AdmissionConfig.load(resource("kubeward-admission.yaml"));
        assertEquals(new PodSecurityProfile(Level.BASELINE, 29), c.defaults().get(Mode.ENFORCE));
        assertEquals(PodSecurityProfile.latest(Level.RESTRICTED), c.defaults().get(Mode.AUDIT));
        assertEquals(PodSecurityProfile.latest(Level.RESTRICTED), c.defaults().get(Mode.WARN));
        assertEquals(Set.of("system:serviceaccount:ci:deployer"), c.exemptions().usernames());
        assertEquals(Set.of("kube-system", "kubeward"), c.exemptions().namespaces());
        assertEquals(Set.of("gvisor"), c.exemptions().runtimeClasses());
        assertEquals(Severity.CRITICAL, c.generalRules().get(Mode.ENFORCE));
        assertNull(c.generalRules().get(Mode.WARN));
        assertEquals(Severity.LOW, c.generalRules().get(Mode.AUDIT));
        assertEquals(ErrorPolicy.ALLOW, c.onError());
        assertEquals(1048576, c.maxRequestBytes());
    }

    @Test
    void readsPodSecurityAdmissionsOwnConfiguration() throws Exception {
        AdmissionConfig c = AdmissionConfig.load(resource("psa-admission-configuration.yaml"));
        assertEquals(PodSecurityProfile.latest(Level.BASELINE), c.defaults().get(Mode.ENFORCE));
        assertEquals(Set.of("kube-system"), c.exemptions().namespaces());
        // what PSA's file does not say keeps kubeward's defaults
        assertEquals(AdmissionConfig.DEFAULT.generalRules(), c.generalRules());
        assertEquals(ErrorPolicy.DENY, c.onError());
    }

    @Test
    void anEmptyFileIsTheDefaults() {
        assertEquals(AdmissionConfig.DEFAULT, AdmissionConfig.parse("", "empty.yaml"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "defaults: {enforse: baseline}| c.yaml: defaults.enforse: unknown field; expected one of enforce, enforce-version, audit, audit-version, warn, warn-version",
        "defaults: {enforce: strict}| c.yaml: defaults.enforce: unknown Pod Security level 'strict'; expected privileged, baseline or restricted",
        "defaults: {warn-version: '1.x'}| c.yaml: defaults.warn-version: invalid policy version '1.x'; expected latest or v1.<minor>, e.g. v1.29",
        "generalRules: {enforce: severe}| c.yaml: generalRules.enforce: unknown severity 'severe'; expected one of info, low, medium, high, critical, or none",
        "onError: maybe| c.yaml: onError: 'maybe' is not deny or allow",
        "maxRequestBytes: -5| c.yaml: maxRequestBytes: '-5' is not a positive whole number of bytes",
        "exemptions: {namespaces: kube-system}| c.yaml: exemptions.namespaces: expected a list, found 'kube-system'",
        "kind: Deployment| c.yaml: kind: 'Deployment' is not AdmissionConfiguration (kubeward.io/v1alpha1) or PodSecurityConfiguration",
        "'[1, 2]'| c.yaml: (document): expected a mapping, found a list"})
    void aBadFileIsRefusedNamingTheField(String yaml, String message) {
        String text = yaml.equals("'[1, 2]'") ? "[1, 2]" : yaml;
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> AdmissionConfig.parse(text, "c.yaml")).getMessage());
    }

    @Test
    void malformedYamlNamesTheFile() {
        String m = assertThrows(IllegalArgumentException.class, () -> AdmissionConfig.parse("defaults: [", "bad.yaml")).getMessage();
        assertFalse(m.isEmpty());
        assertEquals("bad.yaml: not valid YAML", m.substring(0, "bad.yaml: not valid YAML".length()));
    }

    @Test
    void namespaceLabelsOverrideTheDefaultsModeByMode() {
        AdmissionConfig c = AdmissionConfig.DEFAULT.withDefault(Mode.WARN, PodSecurityProfile.latest(Level.BASELINE));
        NamespacePolicy p = NamespacePolicy.of("ns", Map.of(
                "pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/enforce-version", "v1.24"), c);
        assertEquals(new PodSecurityProfile(Level.RESTRICTED, 24), p.mode(Mode.ENFORCE).profile());
        assertEquals(PodSecurityProfile.latest(Level.BASELINE), p.mode(Mode.WARN).profile());
        assertNull(p.mode(Mode.AUDIT).profile(), "privileged by default");
        assertEquals(Severity.LOW, p.mode(Mode.AUDIT).generalThreshold(), "a privileged default keeps the general rules");
        assertEquals(Set.of(), Set.copyOf(p.problems()));
    }
}
