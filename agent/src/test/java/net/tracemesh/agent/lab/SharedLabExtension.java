package net.tracemesh.agent.lab;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes one lab of type {@code T} per test JVM: built on first use, kept in the root extension store,
 * which closes it (deleting every namespace) when the whole run ends. A class using the extension is skipped, with
 * the reason, where labs cannot be built (not root, no {@code ip}/{@code iptables}).
 */
abstract class SharedLabExtension<T extends AutoCloseable> implements BeforeAllCallback, ParameterResolver {
    private final Class<T> type;
    private final Supplier<T> factory;

    SharedLabExtension(Class<T> type, Supplier<T> factory) {
        this.type = type;
        this.factory = factory;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public T resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context, type, factory);
    }

    /** The shared lab, built now if this is the first request of the run. */
    static <T extends AutoCloseable> T shared(ExtensionContext context, Class<T> type, Supplier<T> factory) {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        ExtensionContext.Namespace store = ExtensionContext.Namespace.create(SharedLabExtension.class, type);
        @SuppressWarnings("unchecked")
        Shared<T> entry = context.getRoot().getStore(store)
                .getOrComputeIfAbsent(Shared.class, key -> new Shared<>(factory.get()), Shared.class);
        return entry.lab();
    }

    /** Store entry that deletes the lab when the root context closes. */
    private record Shared<T extends AutoCloseable>(T lab) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            lab.close();
        }
    }
}
