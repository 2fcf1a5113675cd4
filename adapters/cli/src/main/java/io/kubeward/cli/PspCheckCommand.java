package io.kubeward.cli;

import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleCompilationException;
import io.kubeward.engine.model.Workload;
import io.kubeward.engine.psp.AdmissionDecision;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.InvalidPolicyException;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import io.kubeward.engine.psp.PodSecurityPolicyView;
import io.kubeward.engine.psp.PolicyProblem;
import io.kubeward.engine.psp.RbacAuthorizer;
import io.kubeward.engine.psp.RequestUser;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubeward psp check --policies FILE --user NAME [--group G]... PATH...}: decides, for each
 * pod (or object running pods) in PATH, whether the PodSecurityPolicy admission admits it for the
 * user, by which policy, with which defaults, or why not.
 */
@Command(name = "check",
        description = {
            "Decides for each pod in PATH whether the PodSecurityPolicies admit it when USER creates it:",
            "the policies USER or the pod's service account may use (RBAC verb use on podsecuritypolicies)",
            "are tried in name order; one that admits the pod unchanged wins, else the first that admits it",
            "after setting its defaults. Prints the admitting policy, the defaults (and with -o json the",
            "RFC 6902 patch), or each policy's reasons. Policies and RBAC objects found in PATH count too.",
            "Exit codes: 0 every pod admitted, 1 some denied, 2 usage or input error (an invalid policy included)."},
        mixinStandardHelpOptions = true)
final class PspCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--policies"}, required = true, paramLabel = "PATH",
            description = "PodSecurityPolicies and the RBAC objects that grant their use: a file or folder (repeatable).")
    List<Path> policies;

    @Option(names = {"-u", "--user"}, required = true, paramLabel = "USER",
            description = "The user who creates the pods (for controller-made pods, the controller, e.g. "
                    + "system:serviceaccount:kube-system:replicaset-controller). It is in group system:authenticated.")
    String user;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "A group of the user (repeatable).")
    List<String> groups = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", paramLabel = "NAMESPACE",
            description = "The namespace of pods that name none (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--rules", paramLabel = "DIR",
            description = "A folder of DRL rules over PolicyReview facts to add to the PodSecurityPolicy rules (repeatable).")
    List<Path> ruleDirs = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or folders with the pods; - reads standard input.")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.equals("text") && !output.equals("json")) {
            err.println("kubeward psp check: unknown output format '" + output + "'; expected text or json");
            return KubewardCommand.INPUT_ERROR;
        }
        ManifestReader reader = new ManifestReader();
        ReadResult policyRead = reader.read(policies, System.in);
        if (policyRead.hasErrors()) {
            err.println("kubeward psp check: the policies cannot be read; nothing was decided:");
            policyRead.errors().forEach(e -> err.println("  " + e.display()));
            return KubewardCommand.INPUT_ERROR;
        }
        ReadResult podRead = reader.read(paths, System.in);
        List<InputObject> policyObjects = new ArrayList<>(policyRead.objects());
        List<InputObject> pods = new ArrayList<>();
        int ignored = 0;
        for (InputObject o : podRead.objects()) {
            if (Workload.of(o.object(), o.source()).isPresent()) {
                pods.add(o);
            } else if (PodSecurityPolicyView.isPodSecurityPolicy(o.object()) || RbacAuthorizer.isRbacObject(o.object())) {
                policyObjects.add(o);
            } else {
                ignored++;
            }
        }
        AdmissionPolicies admissionPolicies = AdmissionPolicies.of(policyObjects);
        if (!admissionPolicies.invalidPolicies().isEmpty()) {
            err.println("kubeward psp check: invalid PodSecurityPolicies; nothing was decided:");
            for (InvalidPolicyException e : admissionPolicies.invalidPolicies()) {
                for (PolicyProblem p : e.problems()) {
                    err.println("  " + (p.location() == null ? "" : p.location().display() + ": ") + "PodSecurityPolicy "
                            + e.policy().name() + ": field " + p.field() + ": " + p.message());
                }
            }
            return KubewardCommand.INPUT_ERROR;
        }
        if (pods.isEmpty() && !podRead.hasErrors()) {
            err.println("kubeward psp check: no pod, nor any object that runs pods, in " + paths);
            return KubewardCommand.INPUT_ERROR;
        }
        PodSecurityPolicyAdmission admission = buildAdmission(err);
        if (admission == null) {
            return KubewardCommand.INPUT_ERROR;
        }
        RequestUser requester = RequestUser.of(user, groups);
        List<PspReport.Entry> entries = new ArrayList<>();
        for (InputObject pod : pods) {
            String ns = pod.ref().namespace() == null || pod.ref().namespace().isEmpty() ? namespace : pod.ref().namespace();
            AdmissionDecision d = admission.admit(pod, ns, requester, admissionPolicies);
            entries.add(new PspReport.Entry(pod, d));
        }
        PspReport report = new PspReport(requester, admissionPolicies, entries, podRead.errors(), ignored);
        if (output.equals("json")) {
            out.println(Json.write(report.toMap()));
            podRead.errors().forEach(e -> err.println("kubeward: " + e.display()));
        } else {
            report.writeText(out);
        }
        out.flush();
        if (podRead.hasErrors()) {
            return KubewardCommand.INPUT_ERROR;
        }
        return report.denied() == 0 ? KubewardCommand.OK : KubewardCommand.FINDINGS;
    }

    private PodSecurityPolicyAdmission buildAdmission(PrintWriter err) {
        try {
            if (ruleDirs.isEmpty()) {
                return PodSecurityPolicyAdmission.withBuiltinRules();
            }
            PolicyEngine.Builder b = PolicyEngine.builder().onlyBuiltinPacks(PodSecurityPolicyAdmission.RULE_PACK);
            ruleDirs.forEach(b::addRuleDirectory);
            return new PodSecurityPolicyAdmission(b.build());
        } catch (RuleCompilationException e) {
            err.println("kubeward: the rules do not compile; nothing was decided:");
            e.errors().forEach(x -> err.println("  " + x.display()));
            return null;
        } catch (IllegalArgumentException e) {
            err.println("kubeward psp check: " + e.getMessage());
            return null;
        }
    }
}
