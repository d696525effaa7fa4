package net.tracemesh.web.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAccountStoreTest extends AccountStoreContract {
    @TempDir
    Path dir;

    @Override
    AccountStore open(String name) {
        return reopenWithHashing(name, new PasswordHashing(PasswordHashing.MIN_ITERATIONS));
    }

    @Override
    AccountStore reopenWithHashing(String name, PasswordHashing hashing) {
        return AccountStore.openEmbedded(dir.resolve(name), SETTINGS, clock, hashing);
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        assertThatThrownBy(() -> open("main")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open");
    }

    @Test
    void accountsSurviveAReopenAndSecretsAreNotStored() throws Exception {
        store.createUser("bob", PASSWORD, Role.READER);
        String session = store.login("bob", PASSWORD).orElseThrow().secret();
        CreatedToken token = store.createToken("bob", "ci", Role.READER, null);
        store.close();
        store = open("main");
        assertThat(store.session(session)).isPresent();
        assertThat(store.token(token.secret())).isPresent();
        store.close();
        byte[] file = Files.readAllBytes(dir.resolve("main").resolve(AccountStore.DATABASE_NAME + ".mv.db"));
        String content = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(content).doesNotContain(session).doesNotContain(token.secret().substring(3))
                .doesNotContain(PASSWORD).contains(Secrets.hash(session));
        store = open("main");
    }
}
