package io.kubeward.rules.psp;

import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.psp.AdmissionDecision;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import io.kubeward.engine.psp.RequestUser;
import io.kubeward.manifest.ManifestReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints how fast the PodSecurityPolicy admission decides and how much the policies cost a scan.
 * Not a test: run its main with the rules module's test classpath, from the repository root:
 * <pre>
 * java -cp rules/target/test-classes:rules/target/classes:$(cat cp.txt) io.kubeward.rules.psp.AdmissionBenchmark
 * </pre>
 */
public final class AdmissionBenchmark {

    private AdmissionBenchmark() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        ManifestReader reader = new ManifestReader();
        List<InputObject> policyObjects = reader.read(root.resolve("examples/pod-security-policy/policies.yaml")).objects();
        List<InputObject> pods = reader.read(root.resolve("examples/pod-security-policy/pods")).objects();
        long t0 = System.nanoTime();
        PodSecurityPolicyAdmission admission = PodSecurityPolicyAdmission.withBuiltinRules();
        System.out.printf("build admission (PSP pack only): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        AdmissionPolicies policies = AdmissionPolicies.of(policyObjects).requireValid();
        for (String who : List.of("alice", "bob")) {
            RequestUser user = RequestUser.of(who);
            int decided = 0;
            for (int round = 0; round < 2; round++) {
                long start = System.nanoTime();
                int n = 0;
                while (System.nanoTime() - start < 5_000_000_000L) {
                    for (InputObject pod : pods) {
                        AdmissionDecision d = admission.admit(pod, user, policies);
                        decided += d.allowed() ? 1 : 0;
                        n++;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%s, %s: %.0f decisions/s (%d pods x policies available to %s)%n",
                        round == 0 ? "warm-up" : "measured", who, n / seconds, pods.size(), who);
            }
            if (decided < 0) {
                System.out.println(decided);
            }
        }
        PolicyEngine engine = PolicyEngine.builder().build();
        List<InputObject> manyPods = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            manyPods.addAll(pods);
        }
        List<InputObject> withPolicies = new ArrayList<>(manyPods);
        withPolicies.addAll(policyObjects.stream().filter(o -> o.object().getKind().equals("PodSecurityPolicy")).toList());
        for (int round = 0; round < 3; round++) {
            long a = System.nanoTime();
            EvaluationResult plain = engine.evaluateSnapshot(manyPods);
            long b = System.nanoTime();
            EvaluationResult psp = engine.evaluateSnapshot(withPolicies);
            long c = System.nanoTime();
            System.out.printf("%s: scan of %d workloads %d ms without policies, %d ms with 2 policies (%d findings vs %d)%n",
                    round < 2 ? "warm-up" : "measured", manyPods.size(), (b - a) / 1_000_000, (c - b) / 1_000_000,
                    plain.findings().size(), psp.findings().size());
        }
    }
}
