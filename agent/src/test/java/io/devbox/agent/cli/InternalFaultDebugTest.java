package io.devbox.agent.cli;

import io.devbox.agent.engine.InternalFault;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code --debug} prints of a kind's internal fault: which resource, while doing what, and the stack trace. */
class InternalFaultDebugTest {
    @Test
    void namesTheResourceAndShowsTheStack() {
        StringWriter out = new StringWriter();
        InternalFault fault = new InternalFault("sysctl[net.\u001b[31mx]", "sysctl", "probe", new IllegalStateException("boom"));
        Failures.debug(fault, new PrintWriter(out));
        String text = out.toString();
        assertThat(text).startsWith("agent: internal error in sysctl[net.\\e[31mx] (probe):\n")
                .contains("java.lang.IllegalStateException: boom", "\tat io.devbox.agent.cli.InternalFaultDebugTest");
    }

    @Test
    void aKindsFinishHasNoResource() {
        StringWriter out = new StringWriter();
        Failures.debug(new InternalFault(null, "unit", "finish", new NullPointerException()), new PrintWriter(out));
        assertThat(out.toString()).startsWith("agent: internal error in unit (finish):\njava.lang.NullPointerException");
    }
}
