package io.kubeward.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubeward psp ...}: PodSecurityPolicy-style admission. */
@Command(name = "psp",
        description = "PodSecurityPolicy-style admission: which policy admits a pod for a user, with what defaults.",
        mixinStandardHelpOptions = true,
        subcommands = {PspCheckCommand.class})
final class PspCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: check");
    }
}
