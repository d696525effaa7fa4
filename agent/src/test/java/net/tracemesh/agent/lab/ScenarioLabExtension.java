package net.tracemesh.agent.lab;

import org.junit.jupiter.api.extension.ExtensionContext;

/** Gives test classes the one {@link ScenarioLab} of this test JVM (see {@link SharedLabExtension}). */
public final class ScenarioLabExtension extends SharedLabExtension<ScenarioLab> {
    public ScenarioLabExtension() {
        super(ScenarioLab.class, ScenarioLab::start);
    }

    /** The shared lab, built now if this is the first request of the run. */
    public static ScenarioLab shared(ExtensionContext context) {
        return shared(context, ScenarioLab.class, ScenarioLab::start);
    }
}
