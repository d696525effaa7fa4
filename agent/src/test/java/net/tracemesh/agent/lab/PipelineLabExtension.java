package net.tracemesh.agent.lab;

/**
 * Gives test classes the one {@link PipelineLab} of this test JVM (see {@link SharedLabExtension}): two vantage
 * namespaces and a real broker; each class uses its own topic prefix.
 */
public final class PipelineLabExtension extends SharedLabExtension<PipelineLab> {
    public PipelineLabExtension() {
        super(PipelineLab.class, PipelineLab::start);
    }
}
