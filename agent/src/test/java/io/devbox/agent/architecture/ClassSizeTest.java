package io.devbox.agent.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No god classes: a main source file (a top-level class with whatever it nests) over {@value #LIMIT} lines must say
 * why in its class javadoc, in a sentence beginning "Over 300 lines because". Read from the sources, so a class that
 * grows past the limit fails here until its author splits it or gives the reason.
 */
class ClassSizeTest {
    static final int LIMIT = 300;
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:public |protected |private |abstract |final |sealed |non-sealed |static )*"
                    + "(?:class|interface|record|enum|@interface) \\w+");
    private static final Pattern REASON = Pattern.compile("Over 300 lines because\\s+\\S+");

    @Test
    void everyClassOverTheLimitSaysWhyInItsJavadoc() throws IOException {
        List<String> unexplained = new ArrayList<>();
        for (Path f : mainSources()) {
            String text = Files.readString(f);
            long lines = text.lines().count();
            if (lines > LIMIT && !explained(text)) unexplained.add(f + " (" + lines + " lines)");
        }
        assertThat(unexplained).as("split these, or give the reason in the class javadoc (\"Over 300 lines because ...\")").isEmpty();
    }

    @Test
    void theRuleReadsTheJavadocOfTheClassItself() {
        String explainedDoc = "package x;\n/**\n * A thing.\n *\n * <p>Over 300 lines because it must.\n */\npublic final class A {\n}\n";
        String reasonElsewhere = "package x;\n/** A thing. */\npublic final class A {\n    /** Over 300 lines because it must. */\n    void f() {}\n}\n";
        String noDoc = "package x;\n\nfinal class A {\n}\n";
        assertThat(explained(explainedDoc)).isTrue();
        assertThat(explained(reasonElsewhere)).as("a method's javadoc is not the class's").isFalse();
        assertThat(explained(noDoc)).isFalse();
    }

    @Test
    void theSourcesAreFound() throws IOException {
        assertThat(mainSources()).as("the rule must look at something").hasSizeGreaterThan(100)
                .anyMatch(p -> p.endsWith(Path.of("io/devbox/agent/engine/Planner.java")));
    }

    /** True when the javadoc right before the first top-level type declaration gives the reason. */
    static boolean explained(String source) {
        Matcher type = TYPE.matcher(source);
        if (!type.find()) return false;
        String before = source.substring(0, type.start()).stripTrailing();
        if (!before.endsWith("*/")) return false;
        int open = before.lastIndexOf("/**");
        return open >= 0 && REASON.matcher(before.substring(open)).find();
    }

    private static List<Path> mainSources() throws IOException {
        Path root = Files.isDirectory(Path.of("src/main/java")) ? Path.of("src/main/java") : Path.of("agent/src/main/java");
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
