package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A result's findings are in {@link EvaluationResult#ORDER}, whatever order they were reported in. */
class EvaluationResultOrderTest {

    @Test
    void findingsAreSortedExactlyAsByTheOrder() {
        Random random = new Random(42);
        String[] files = {null, "a.yaml", "b/c.yaml", "b/c.yaml.bak"};
        String[] kinds = {null, "Pod", "Deployment", "DaemonSet"};
        String[] namespaces = {null, "", "default", "shop"};
        String[] names = {null, "web", "web-1", "api"};
        String[] rules = {"host-port", "host-network", "privileged", "run-as-root"};
        String[] paths = {null, "spec.hostNetwork", "spec.containers[0].ports[0].hostPort", "spec.containers[1]"};
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // equal references of different objects, and different references with the same display name (apiVersion differs)
            ResourceRef ref = new ResourceRef(random.nextBoolean() ? "v1" : "apps/v1", pick(random, kinds), pick(random, namespaces),
                    pick(random, names));
            String file = pick(random, files);
            // a copy, so equal file names are not always the same object
            SourceLocation source = random.nextInt(5) == 0 ? null
                    : new SourceLocation(file == null || random.nextBoolean() ? file : new String(file.toCharArray()),
                    random.nextInt(3), random.nextInt(40));
            Severity severity = Severity.values()[random.nextInt(Severity.values().length)];
            // the message is no key of the order: findings equal in every key keep the order they came in
            findings.add(new Finding(pick(random, rules), severity, "t", "message " + i, ref, null, pick(random, paths), source));
        }
        for (int round = 0; round < 3; round++) {
            Collections.shuffle(findings, random);
            List<Finding> expected = new ArrayList<>(findings);
            expected.sort(EvaluationResult.ORDER);
            List<Finding> actual = new EvaluationResult(findings, List.of(), 0, List.of()).findings();
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSame(expected.get(i), actual.get(i), "finding " + i);
            }
        }
    }

    @Test
    void aSingleFindingAndNoneAreKept() {
        Finding one = new Finding("r", Severity.LOW, "t", "m", new ResourceRef("v1", "Pod", null, "p"), null, null, null);
        assertEquals(List.of(one), new EvaluationResult(List.of(one), List.of(), 1, List.of()).findings());
        assertEquals(List.of(), EvaluationResult.empty().findings());
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
