package io.devbox.agent.cli;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.Printable;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.report.JsonReport;
import io.devbox.agent.report.RunError;
import io.devbox.agent.run.AllBoxes;
import io.devbox.agent.run.Session;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;

final class ValidateCommand implements Callable<Integer> {
    private final CommonOptions common;
    private CommandSpec spec;
    private boolean allBoxes;
    private boolean json;

    private ValidateCommand(CommonOptions common) {
        this.common = common;
    }

    static CommandSpec spec(CommonOptions common) {
        ValidateCommand c = new ValidateCommand(common);
        c.spec = Specs.command(c, "validate", "Check the profiles (syntax, schema, composition for this box); exit 0 valid, 1 invalid.")
                .flag("--all-boxes", "Check the composition for every box the selectors tell apart (each hostname glob and "
                        + "label value they name, and their combinations) instead of this box: for a fleet repository's CI.",
                        v -> c.allBoxes = v)
                .flag("--json", "One JSON document instead of text (also for errors).", v -> c.json = v)
                .build();
        return c.spec;
    }

    @Override
    public Integer call() throws Exception {
        Session session = Sessions.open(common);
        PrintWriter o = spec.commandLine().getOut();
        if (allBoxes) return allBoxes(session, o);
        Session.Loaded loaded = session.validate();
        int n = loaded.profiles().profiles().size();
        List<String> notes = loaded.source().notes();
        if (json) {
            ObjectNode doc = document(true, loaded.snapshot().commit(), n, notes);
            ArrayNode forThisBox = doc.putArray("forThisBox");
            loaded.spec().profileNames().forEach(forThisBox::add);
            JsonReport.errors(doc, List.of());
            o.print(JsonReport.pretty(doc));
        } else {
            o.println(n + (n == 1 ? " profile" : " profiles") + " valid at " + loaded.snapshot().shortCommit() + "; for this box: "
                    + (loaded.spec().profileNames().isEmpty() ? "(none match)" : Printable.escape(String.join(", ", loaded.spec().profileNames()))));
            for (String note : notes) o.println("note: " + Printable.escape(note));
        }
        o.flush();
        return ExitCodes.OK;
    }

    private int allBoxes(Session session, PrintWriter o) throws Exception {
        AllBoxes.Result r = session.validateAllBoxes();
        if (json) {
            ObjectNode doc = document(r.valid(), r.snapshot().commit(), r.profiles(), r.notes());
            ArrayNode boxes = doc.putArray("boxes");
            for (HostIdentity b : r.boxes()) box(boxes.addObject(), b);
            doc.put("truncated", r.truncated());
            JsonReport.errors(doc, r.findings().stream().map(f -> RunError.of(f.error())).toList());
            ArrayNode errors = (ArrayNode) doc.get("errors");
            for (int i = 0; i < r.findings().size(); i++) {
                HostIdentity b = r.findings().get(i).box();
                if (b == null) ((ObjectNode) errors.get(i)).putNull("box");
                else box(((ObjectNode) errors.get(i)).putObject("box"), b);
            }
            o.print(JsonReport.pretty(doc));
            o.flush();
            return r.valid() ? ExitCodes.OK : ExitCodes.ERROR;
        }
        String boxes = r.boxes().size() + (r.boxes().size() == 1 ? " box" : " boxes") + " the selectors tell apart"
                + (r.truncated() ? " (the label combinations were too many: not all were tried)" : "");
        if (r.valid()) {
            o.println(r.profiles() + (r.profiles() == 1 ? " profile" : " profiles") + " valid at " + r.snapshot().shortCommit()
                    + " for every one of " + boxes + ".");
        } else {
            PrintWriter err = spec.commandLine().getErr();
            for (AllBoxes.Finding f : r.findings()) {
                err.println(f.error().render() + (f.box() == null ? "" : "   [for a box with " + Printable.escape(AllBoxes.describe(f.box())) + "]"));
            }
            err.println(r.findings().size() + (r.findings().size() == 1 ? " error" : " errors") + " in the profiles, checked for "
                    + boxes + "; nothing was changed.");
            err.flush();
        }
        for (String note : r.notes()) o.println("note: " + Printable.escape(note));
        o.flush();
        return r.valid() ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private static ObjectNode document(boolean valid, String commit, int profiles, List<String> notes) {
        ObjectNode doc = Json.object();
        doc.put("formatVersion", JsonReport.FORMAT_VERSION);
        doc.put("command", "validate");
        doc.put("valid", valid);
        doc.put("commit", commit);
        doc.put("profiles", profiles);
        ArrayNode n = doc.putArray("notes");
        notes.forEach(n::add);
        return doc;
    }

    private static void box(ObjectNode n, HostIdentity b) {
        n.put("hostname", b.hostname());
        ObjectNode labels = n.putObject("labels");
        new TreeMap<>(b.labels()).forEach(labels::put);
    }
}
