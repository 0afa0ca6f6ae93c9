package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

import java.util.function.Consumer;

/**
 * The commands' picocli models, declared in code. picocli's annotations cost a short run more than its whole plan of
 * 50 sysctls: every annotation is parsed reflectively into a dynamic proxy class generated at run time. The model
 * built here is the same one (help, completion, inherited options, exit codes are picocli's), bound to plain fields
 * through setters instead of reflection.
 */
final class Specs {
    private Specs() {
    }

    /** Adds to an existing spec. */
    static Command of(CommandSpec spec) {
        return new Command(spec, ScopeType.LOCAL);
    }

    static Command command(Object userObject, String name, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(userObject, FACTORY);
        spec.name(name);
        spec.usageMessage().description(description);
        HelpSections.install(spec);
        return new Command(spec, ScopeType.LOCAL);
    }

    /** A command under construction; {@link #build()} returns its spec. */
    static final class Command {
        private final CommandSpec spec;
        private final ScopeType scope;

        private Command(CommandSpec spec, ScopeType scope) {
            this.spec = spec;
            this.scope = scope;
        }

        /** The options added from here on are also every subcommand's (before or after the command name). */
        Command inherit() {
            return new Command(spec, ScopeType.INHERIT);
        }

        Command flag(String name, String description, Consumer<Boolean> set) {
            return add(Specs.option(name, description, boolean.class).arity("0"), false, set);
        }

        <T> Command option(String name, String label, Class<T> type, String description, Consumer<T> set) {
            return add(Specs.option(name, description, type).paramLabel(label), null, set);
        }

        /**
         * An option with full control over picocli's builder (converters, defaults, arity, hidden, auxiliary types);
         * {@code initial} is the field's value before parsing (for a list or map: the very collection picocli fills).
         */
        <T> Command option(OptionSpec.Builder builder, T initial, Consumer<T> set) {
            return add(builder, initial, set);
        }

        <T> Command positional(PositionalParamSpec.Builder builder, Consumer<T> set) {
            Binding<T> binding = new Binding<>(null, set);
            spec.addPositional(builder.getter(binding).setter(binding).build());
            return this;
        }

        Command subcommand(CommandSpec sub) {
            spec.addSubcommand(sub.name(), commandLine(sub));
            return this;
        }

        CommandSpec build() {
            return spec;
        }

        private <T> Command add(OptionSpec.Builder b, T initial, Consumer<T> set) {
            Binding<T> binding = new Binding<>(initial, set);
            // the initial value is what picocli restores before each parse: the field's own, never null for a primitive
            spec.addOption(b.scopeType(scope).initialValue(initial).hasInitialValue(true).getter(binding).setter(binding).build());
            return this;
        }
    }

    /** A command line for a spec built here. */
    static CommandLine commandLine(CommandSpec spec) {
        return new CommandLine(spec, FACTORY);
    }

    /**
     * What picocli creates by class for a model declared in code: the collections of list and map options. (picocli's
     * own factory first probes for Groovy closures, a failing class lookup through the whole jar on every start.)
     */
    private static final CommandLine.IFactory FACTORY = new CommandLine.IFactory() {
        @Override
        public <K> K create(Class<K> cls) {
            if (cls.isAssignableFrom(java.util.ArrayList.class)) return cls.cast(new java.util.ArrayList<>());
            if (cls.isAssignableFrom(java.util.LinkedHashMap.class)) return cls.cast(new java.util.LinkedHashMap<>());
            if (cls.isAssignableFrom(java.util.LinkedHashSet.class)) return cls.cast(new java.util.LinkedHashSet<>());
            throw new CommandLine.InitializationException("the command line model cannot create a " + cls.getName());
        }
    };

    /** picocli's builder for an option, for the settings {@link Command} has no shortcut for. */
    static OptionSpec.Builder option(String name, String description, Class<?> type) {
        return OptionSpec.builder(name).type(type).description(description);
    }

    /** picocli's builder for the first positional parameter. */
    static PositionalParamSpec.Builder positional(String label, String arity, String description, Class<?> type) {
        return PositionalParamSpec.builder().index("0").arity(arity).paramLabel(label).type(type).description(description);
    }

    /** -h/--help and -V/--version, as picocli's mixinStandardHelpOptions declares them, for every command. */
    static void standardHelpOptions(CommandSpec root) {
        root.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).scopeType(ScopeType.INHERIT)
                .description("Show this help message and exit.").build());
        root.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).scopeType(ScopeType.INHERIT)
                .description("Print version information and exit.").build());
    }

    /**
     * picocli reads and writes an option's value through this; every value it sets is passed on to the command's
     * field. (The copies of an inherited option in each subcommand share one binding, as they shared one field.)
     */
    private static final class Binding<T> implements IGetter, ISetter {
        private final Consumer<T> set;
        private T value;

        Binding(T initial, Consumer<T> set) {
            this.value = initial;
            this.set = set;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V get() {
            return (V) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V set(V newValue) {
            V old = (V) value;
            value = (T) newValue;
            set.accept(value);
            return old;
        }
    }
}
