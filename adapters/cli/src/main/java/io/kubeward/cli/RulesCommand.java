package io.kubeward.cli;

import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleDescriptor;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kubeward rules}: lists the rule catalogue. */
@Command(name = "rules", description = "Lists every rule with its id, severity, category and title.",
        mixinStandardHelpOptions = true)
final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Mixin
    EngineOptions engineOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.equals("text") && !output.equals("json")) {
            err.println("kubeward rules: unknown output format '" + output + "'; expected text or json");
            return KubewardCommand.INPUT_ERROR;
        }
        PolicyEngine engine = engineOptions.build(err);
        if (engine == null) {
            return KubewardCommand.INPUT_ERROR;
        }
        if (output.equals("json")) {
            List<Map<String, Object>> rules = engine.catalog().all().stream().map(RulesCommand::toMap).toList();
            out.println(Json.write(Map.of("rules", rules)));
            return KubewardCommand.OK;
        }
        int idWidth = engine.catalog().all().stream().mapToInt(d -> d.id().length()).max().orElse(2);
        int catWidth = engine.catalog().all().stream().mapToInt(d -> d.category().length()).max().orElse(8);
        out.printf("%-" + idWidth + "s  %-8s  %-" + catWidth + "s  %s%n", "ID", "SEVERITY", "CATEGORY", "TITLE");
        for (RuleDescriptor d : engine.catalog().all()) {
            out.printf("%-" + idWidth + "s  %-8s  %-" + catWidth + "s  %s%n", d.id(), d.severity().label(), d.category(), d.title());
        }
        out.println();
        out.println(engine.catalog().size() + " rules.");
        return KubewardCommand.OK;
    }

    static Map<String, Object> toMap(RuleDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("severity", d.severity().label());
        m.put("category", d.category());
        m.put("title", d.title());
        m.put("rationale", d.rationale());
        m.put("remediation", d.remediation());
        m.put("fields", d.fields());
        m.put("docs", d.docs());
        return m;
    }
}
