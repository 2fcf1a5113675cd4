package io.kubeward.cli;

import io.kubeward.engine.network.Connectivity;
import io.kubeward.engine.network.ConnectivityDiff;
import io.kubeward.engine.network.Explanation;
import io.kubeward.engine.network.NetworkPolicyAnalyzer;
import io.kubeward.engine.network.NetworkPolicyValidationException;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kubeward netpol}: what the NetworkPolicies of a set of manifests really allow. */
@Command(name = "netpol",
        description = "Analyses NetworkPolicies as real reachability between workloads and external addresses.",
        mixinStandardHelpOptions = true,
        subcommands = {NetpolCommand.Connlist.class, NetpolCommand.Explain.class, NetpolCommand.Diff.class})
final class NetpolCommand {

    /** Reads manifests and analyses them; prints the problems and returns null when it cannot. */
    static Connectivity analyze(List<Path> paths, PrintWriter err) {
        ReadResult read = new ManifestReader().read(paths, System.in);
        if (read.hasErrors()) {
            err.println("kubeward netpol: the input could not be read; nothing was analysed:");
            read.errors().forEach(e -> err.println("  " + e.display()));
            return null;
        }
        try {
            return NetworkPolicyAnalyzer.analyze(read.objects());
        } catch (NetworkPolicyValidationException e) {
            err.println("kubeward netpol: invalid NetworkPolicy; nothing was analysed:");
            e.problems().forEach(p -> err.println("  " + p.display()));
            return null;
        }
    }

    @Command(name = "connlist", mixinStandardHelpOptions = true,
            description = {"Lists every allowed connection: one line per source and destination,",
                "workloads as ns/name[Kind], external ranges as a.b.c.d-e.f.g.h[External]."})
    static final class Connlist implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or folders; - reads standard input.")
        List<Path> paths;
        @Option(names = {"-o", "--output"}, defaultValue = "txt", paramLabel = "FORMAT",
                description = "txt, json or dot (Graphviz) (default: ${DEFAULT-VALUE}).")
        String output;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!List.of("txt", "text", "json", "dot").contains(output)) {
                err.println("kubeward netpol connlist: unknown output format '" + output + "'; expected txt, json or dot");
                return KubewardCommand.INPUT_ERROR;
            }
            Connectivity c = analyze(paths, err);
            if (c == null) {
                return KubewardCommand.INPUT_ERROR;
            }
            switch (output) {
                case "json" -> out.println(c.toJson());
                case "dot" -> out.print(c.toDot());
                default -> c.connlist().forEach(out::println);
            }
            return KubewardCommand.OK;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Answers whether one connection is allowed, naming every policy rule that allows it,",
                "or the isolation that blocks it (egress at the source, ingress at the destination, or both).",
                "Exit codes: 0 allowed, 1 denied, 2 usage or input error."})
    static final class Explain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        static final class Source {
            @Option(names = "--from", paramLabel = "PEER", description = "ns/name[Kind], ns/name or ns/pod-name of the source.")
            String peer;
            @Option(names = "--from-ip", paramLabel = "IP", description = "An external source address.")
            String ip;
        }

        static final class Destination {
            @Option(names = "--to", paramLabel = "PEER", description = "ns/name[Kind], ns/name or ns/pod-name of the destination.")
            String peer;
            @Option(names = "--to-ip", paramLabel = "IP", description = "An external destination address.")
            String ip;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source from;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Destination to;
        @Option(names = "--port", required = true, paramLabel = "PORT[/PROTOCOL]", description = "e.g. 5432/TCP (TCP when no protocol).")
        String port;
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or folders.")
        List<Path> paths;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String[] pp = port.split("/", 2);
            int number;
            try {
                number = Integer.parseInt(pp[0].strip());
            } catch (NumberFormatException e) {
                err.println("kubeward netpol explain: --port must be a number with an optional /PROTOCOL, e.g. 5432/TCP; got " + port);
                return KubewardCommand.INPUT_ERROR;
            }
            Connectivity c = analyze(paths, err);
            if (c == null) {
                return KubewardCommand.INPUT_ERROR;
            }
            Explanation e;
            try {
                e = c.explain(from.peer != null ? from.peer : from.ip, to.peer != null ? to.peer : to.ip, number,
                        pp.length > 1 ? pp[1] : null);
            } catch (IllegalArgumentException x) {
                err.println("kubeward netpol explain: " + x.getMessage());
                return KubewardCommand.INPUT_ERROR;
            }
            e.lines().forEach(out::println);
            return e.allowed() ? KubewardCommand.OK : KubewardCommand.FINDINGS;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Lists the connections gained and lost between two versions of the manifests,",
                "the question a reviewer asks of a NetworkPolicy change. Exit codes: 0 no change, 1 changes, 2 errors."})
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "OLD", description = "The manifests before (file or folder).")
        Path before;
        @Parameters(index = "1", paramLabel = "NEW", description = "The manifests after (file or folder).")
        Path after;
        @Option(names = {"-o", "--output"}, defaultValue = "txt", paramLabel = "FORMAT", description = "txt or json (default: ${DEFAULT-VALUE}).")
        String output;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!List.of("txt", "text", "json").contains(output)) {
                err.println("kubeward netpol diff: unknown output format '" + output + "'; expected txt or json");
                return KubewardCommand.INPUT_ERROR;
            }
            Connectivity a = analyze(List.of(before), err);
            Connectivity b = analyze(List.of(after), err);
            if (a == null || b == null) {
                return KubewardCommand.INPUT_ERROR;
            }
            ConnectivityDiff d = ConnectivityDiff.between(a, b);
            if (output.equals("json")) {
                out.println(d.toJson());
            } else if (d.isEmpty()) {
                out.println("no connection gained or lost");
            } else {
                d.lines().forEach(out::println);
            }
            return d.isEmpty() ? KubewardCommand.OK : KubewardCommand.FINDINGS;
        }
    }
}
