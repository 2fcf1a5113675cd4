package io.kubeward.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kubeward} command. */
@Command(name = "kubeward",
        mixinStandardHelpOptions = true,
        versionProvider = KubewardCommand.Version.class,
        description = "Policy-as-code for Kubernetes nodes and networks.",
        subcommands = {ScanCommand.class, AuditCommand.class, RulesCommand.class, NetpolCommand.class, PspCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class KubewardCommand {

    /** Exit code: nothing at or above the threshold. */
    public static final int OK = 0;
    /** Exit code: findings at or above the threshold. */
    public static final int FINDINGS = 1;
    /** Exit code: a usage error, a bad input or rules that do not compile. */
    public static final int INPUT_ERROR = 2;

    public static void main(String[] args) {
        // the rule engine logs its own progress at INFO and hints at WARN; a command line shows only errors
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new KubewardCommand());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExitCodeExceptionMapper(e -> INPUT_ERROR);
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("kubeward: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return INPUT_ERROR;
        });
        cmd.setExecutionExceptionHandler((ex, c, parse) -> {
            err.println("kubeward: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return INPUT_ERROR;
        });
        return cmd.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KubewardCommand.class.getPackage().getImplementationVersion();
            return new String[] {"kubeward " + (v == null ? "development build" : v)};
        }
    }
}
