package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine reuses rule sessions: no fact, finding or profile of one evaluation reaches the next. */
class SessionReuseTest {

    static final String DRL = """
            package test.reuse
            import io.kubeward.engine.model.*;
            import io.kubeward.engine.PodSecurityProfile;
            global Findings findings;

            rule "workloads-seen"
                @severity("low")
            when
                $w : Workload()
                $n : Number() from accumulate( Workload(), count(1) )
            then
                findings.report(drools.getRule(), $w, $w.path(""), "workloads in session: " + $n);
            end

            rule "profile-seen"
                @severity("low")
            when
                $p : PodSecurityProfile()
                $w : Workload()
            then
                findings.report(drools.getRule(), $w, $w.path(""), "profile " + $p.display());
            end

            rule "explodes"
                @severity("low")
            when
                $w : Workload( name == "bomb" )
            then
                throw new IllegalStateException("boom");
            end
            """;

    static PolicyEngine engine;

    @BeforeAll
    static void build() {
        engine = PolicyEngine.builder().withoutBuiltinRules().addRules(new RuleSource("reuse.drl", DRL)).build();
    }

    static InputObject pod(String name) {
        Pod p = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
        return InputObject.of(p);
    }

    static List<String> messages(EvaluationResult r) {
        return r.findings().stream().map(f -> f.resource().name() + ": " + f.message()).sorted().toList();
    }

    @Test
    void eachEvaluationSeesOnlyItsOwnFacts() {
        for (int i = 0; i < 30; i++) {
            assertEquals(List.of("a: workloads in session: 1"), messages(engine.evaluate(pod("a"))));
            EvaluationOptions restricted = new EvaluationOptions(PodSecurityProfile.of("restricted", "v1.29"));
            assertEquals(List.of("b: profile restricted:v1.29", "b: workloads in session: 1"),
                    messages(engine.evaluate(pod("b"), restricted)));
            assertEquals(List.of("c: workloads in session: 2", "d: workloads in session: 2"),
                    messages(engine.evaluateSnapshot(List.of(pod("c"), pod("d")))));
        }
    }

    @Test
    void aFailedEvaluationLeavesNothingBehind() {
        assertThrows(RuleEvaluationException.class, () -> engine.evaluateSnapshot(List.of(pod("x"), pod("bomb"))));
        assertEquals(List.of("y: workloads in session: 1"), messages(engine.evaluate(pod("y"))));
    }

    @Test
    void threadsEvaluatingAtOnceKeepTheirResultsApart() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = "p" + i;
                runs.add(pool.submit(() -> messages(engine.evaluate(pod(name)))));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertEquals(List.of("p" + i + ": workloads in session: 1"), runs.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
