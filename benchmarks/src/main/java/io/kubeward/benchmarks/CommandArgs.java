package io.kubeward.benchmarks;

import java.util.List;
import java.util.Optional;

/** The few option forms the benchmark mains read: {@code --name value} and flags. */
final class CommandArgs {

    private CommandArgs() {
    }

    /** Removes {@code name} and the value after it from {@code args}; empty when absent. */
    static Optional<String> take(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return Optional.empty();
        }
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.subList(i, i + 2).clear();
        return Optional.of(value);
    }

    /** Removes the flag {@code name} from {@code args}; true when it was there. */
    static boolean flag(List<String> args, String name) {
        return args.remove(name);
    }

    /** A whole number above zero, or an error naming the option. */
    static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " needs a whole number above zero, not '" + value + "'");
    }

    /** Fails on anything left over: an unknown option or a stray value. */
    static void noneLeft(List<String> args, String usage) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown argument '" + args.get(0) + "'; usage: " + usage);
        }
    }
}
