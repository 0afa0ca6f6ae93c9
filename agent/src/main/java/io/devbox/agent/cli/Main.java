package io.devbox.agent.cli;

import io.devbox.agent.enrol.Installation;
import io.devbox.agent.host.Redactor;
import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point: {@code agent COMMAND [options]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // everything the process prints (commands, logs, errors) passes the redactor, once
        System.setOut(new PrintStream(Redactor.stream(new FileOutputStream(FileDescriptor.out)), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(Redactor.stream(new FileOutputStream(FileDescriptor.err)), true, StandardCharsets.UTF_8));
        int code = run(System.out, System.err, args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** @param redactedOut where the command's output goes, redacted already (so it is not redacted twice) */
    private static int run(OutputStream redactedOut, OutputStream redactedErr, String... args) {
        StartupWarmup warmup = StartupWarmup.startFor(args);
        CommandLine cmd = AgentCommand.commandLine(args, Installation.current().program());
        cmd.setExecutionStrategy(new AfterWarmup(warmup));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(redactedOut, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(redactedErr, StandardCharsets.UTF_8));
        cmd.setOut(out);
        cmd.setErr(err);
        try {
            return cmd.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Runs the command once the start-up warm-up is over. (A class, not a lambda: a lambda of one of picocli's Java 5
     * interfaces keeps that interface and its users out of the AppCDS archive.)
     */
    private static final class AfterWarmup implements CommandLine.IExecutionStrategy {
        private final StartupWarmup warmup;

        AfterWarmup(StartupWarmup warmup) {
            this.warmup = warmup;
        }

        @Override
        public int execute(CommandLine.ParseResult parsed) {
            warmup.await();
            return new CommandLine.RunLast().execute(parsed);
        }
    }
}
