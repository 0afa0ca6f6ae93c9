package io.devbox.agent.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the design, read from the compiled main classes: the engine knows kinds only through its SPI
 * (a kind is one package and a line in {@code kinds/Kinds}, nothing in the engine), dependencies point down, and
 * the packages form no cycle.
 */
class LayeringTest {
    private static final String AGENT = "io.devbox.agent";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(AGENT);
    }

    @Test
    void theRulesSeeTheRealDependencies() {
        assertThat(classes.contain("io.devbox.agent.engine.Planner")).isTrue();
        assertThat(classes.contain("io.devbox.agent.kinds.Kinds")).isTrue();
        ArchRule kindsUseTheEngine = noClasses().that().resideInAPackage(AGENT + ".kinds..")
                .should().dependOnClassesThat().resideInAPackage(AGENT + ".engine..");
        assertThat(kindsUseTheEngine.evaluate(classes).hasViolation()).as("a rule that must fail does").isTrue();
    }

    @Test
    void theEngineImportsNoKindAndNothingThatDrivesIt() {
        ArchRule rule = noClasses().that().resideInAPackage(AGENT + ".engine..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("kinds", "cli", "run", "watch", "enrol", "report",
                        "fleet", "source", "config", "metrics"))
                .because("the engine knows kinds only through the Reconciler SPI, and runs, commands and reports use the engine, not the other way round");
        rule.check(classes);
    }

    @Test
    void kindsUseOnlyTheSpiTheBoxAndTheProfileModel() {
        ArchRule rule = noClasses().that().resideInAPackage(AGENT + ".kinds..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("cli", "run", "watch", "enrol", "report", "fleet",
                        "source", "config", "metrics"))
                .because("a kind is reached through its descriptor and talks to the box through host");
        rule.check(classes);
    }

    /**
     * A kind package (with its subpackages, e.g. kinds.go.tools beside kinds.go) uses no other kind: box facts that
     * several kinds ask (WSL, Windows tools) live in host, and one kind's knowledge another needs is handed in by
     * kinds/Kinds. The one allowed edge: the runner's service is a systemd unit, which the runner converges through the
     * unit kind's reconciler rather than a second copy of it.
     */
    private static SliceRule kindsAreIndependent() {
        return slices().matching(AGENT + ".kinds.(*)..").should().notDependOnEachOther();
    }

    @Test
    void kindPackagesDoNotUseEachOtherButTheRunnerItsUnit() {
        kindsAreIndependent().ignoreDependency(resideInAPackage(AGENT + ".kinds.runner.."), resideInAPackage(AGENT + ".kinds.systemd.."))
                .check(classes);
        assertThat(kindsAreIndependent().evaluate(classes).hasViolation()).as("the runner's edge is seen, so the rule sees kinds' edges").isTrue();
    }

    @Test
    void kindPackagesDoNotUseTheListOfKinds() {
        noClasses().that().resideInAPackage(AGENT + ".kinds.*..")
                .should().dependOnClassesThat().haveFullyQualifiedName(AGENT + ".kinds.Kinds")
                .because("kinds/Kinds lists the kinds; a kind reaching back to it would make the list a cycle")
                .check(classes);
    }

    @Test
    void theCommandLineKnowsKindsOnlyByTheirList() {
        noClasses().that().resideInAPackage(AGENT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(AGENT + ".kinds.*..")
                .because("commands reach kinds through kinds/Kinds; box facts such as WSL detection are host's")
                .check(classes);
    }

    @Test
    void theHostIsTheBottomLayer() {
        ArchRule rule = noClasses().that().resideInAPackage(AGENT + ".host..")
                .should().dependOnClassesThat().resideInAnyPackage(packages("cli", "run", "engine", "kinds", "profile", "source",
                        "report", "watch", "enrol", "fleet", "config", "metrics"));
        rule.check(classes);
    }

    @Test
    void nothingButTheCommandLineUsesTheCommandLine() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage(AGENT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(AGENT + ".cli..");
        rule.check(classes);
    }

    /** The agent's packages of these names, with their subpackages. */
    private static String[] packages(String... names) {
        return java.util.Arrays.stream(names).map(n -> AGENT + "." + n + "..").toArray(String[]::new);
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching(AGENT + ".(*)..").should().beFreeOfCycles().check(classes);
    }
}
