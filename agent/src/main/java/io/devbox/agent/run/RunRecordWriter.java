package io.devbox.agent.run;

import io.devbox.agent.report.RunInfo;
import io.devbox.agent.report.RunRecords;

import java.io.IOException;
import java.util.function.Supplier;

/** Keeps the record of every run under {@code <state>/runs} (what {@code agent history} and {@code status} read). */
final class RunRecordWriter implements RunListener {
    private final Supplier<RunRecords> records;

    RunRecordWriter(Supplier<RunRecords> records) {
        this.records = records;
    }

    @Override
    public void finished(Finished run) throws IOException {
        records.get().write(run.run());
    }

    @Override
    public void rejected(RunInfo run) throws IOException {
        records.get().write(run);
    }
}
