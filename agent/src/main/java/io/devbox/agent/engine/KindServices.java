package io.devbox.agent.engine;

import io.devbox.agent.host.Downloader;

/**
 * What the agent hands every kind when it makes the run's reconcilers: settings from the agent's config that kinds
 * must keep to.
 *
 * @param downloads the limits every download of a run keeps to (config {@code download.*})
 */
public record KindServices(Downloader.Limits downloads) {
    public static KindServices standard() {
        return new KindServices(Downloader.Limits.DEFAULT);
    }
}
