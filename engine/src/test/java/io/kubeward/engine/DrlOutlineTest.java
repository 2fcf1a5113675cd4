package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubeward.engine.DrlOutline.DeclaredRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrlOutlineTest {

    @Test
    void readsThePackageAndTheRulesWithTheirPositions() {
        DrlOutline o = DrlOutline.of("""
                package kubeward.sample;

                import io.kubeward.engine.model.*;

                rule "first-rule"
                    @docs("https://example.org/a//b") @title("the 'quoted' \\"title\\"")
                when
                    $w : Workload( hostNetwork )
                then
                end

                  rule second
                when
                then
                end
                rule 'third \\'one\\''
                when then end
                """);
        assertEquals("kubeward.sample", o.pack());
        assertEquals(List.of(new DeclaredRule("first-rule", 5, 1), new DeclaredRule("second", 12, 3),
                new DeclaredRule("third 'one'", 16, 1)), o.rules());
    }

    @Test
    void commentsAreNotDeclarations() {
        DrlOutline o = DrlOutline.of("""
                // package commented.out
                package real.pkg
                /*
                rule "in-a-block-comment"
                */
                // rule "in-a-line-comment"
                rule "real" /* rule "inline" */ when then end
                """);
        assertEquals("real.pkg", o.pack());
        assertEquals(List.of(new DeclaredRule("real", 7, 1)), o.rules());
    }

    @Test
    void withoutAPackageTheRulesAreInTheDefaultPackage() {
        assertEquals("defaultpkg", DrlOutline.of("rule \"x\" when then end").pack());
        assertEquals(List.of(), DrlOutline.of("package p\n").rules());
    }
}
