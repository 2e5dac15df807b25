package io.beeperkeeper;

import io.beeperkeeper.cli.BeeperCommand;
import picocli.CommandLine;

/**
 * Entry point. Errors the user can fix (bad config, taken port) are printed as one line without a
 * stack trace; with no subcommand, `run` is meant.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cli = BeeperCommand.commandLine();
        String[] effective = args;
        if (args.length == 0 || args[0].startsWith("--") && !isTopLevelFlag(args[0])) {
            effective = new String[args.length + 1];
            effective[0] = "run";
            System.arraycopy(args, 0, effective, 1, args.length);
        }
        int code = cli.execute(effective);
        if (code != 0 || !"run".equals(effective[0])) {
            System.exit(code);
        }
    }

    private static boolean isTopLevelFlag(String arg) {
        return arg.equals("--help") || arg.equals("--version");
    }
}
