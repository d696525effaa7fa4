package net.tracemesh.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import net.tracemesh.web.auth.AccountAuthenticator;
import net.tracemesh.web.auth.AccountRoutes;
import net.tracemesh.web.auth.AccountStore;
import net.tracemesh.web.auth.AuthSettings;
import net.tracemesh.web.auth.LoginLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logging in and out through the pages against the real account store and session cookies. */
class UiLoginFlowTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dataDir;
    private AccountStore store;
    private UiTestServer server;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        store = AccountStore.openEmbedded(dataDir);
        store.ensureAdmin(ADMIN, PASSWORD);
        Vertx vertx = Vertx.vertx();
        AccountAuthenticator authenticator = new AccountAuthenticator(vertx, store);
        server = UiTestServer.start(vertx, authenticator, List.of(new AccountRoutes(store, authenticator,
                new LoginLimiter(AuthSettings.defaults()), false)));
        browser = Browser.open();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                server.close();
            } finally {
                store.close();
            }
        }
    }

    @Test
    void logsInToTheMapAndOutAgain() {
        browser.get(server.baseUrl() + "/login.html");
        browser.waitVisible("#login-user").sendKeys(ADMIN);
        browser.find("#login-password").sendKeys("wrong password!");
        browser.find("#login-submit").click();
        assertThat(browser.waitVisible("#login-error").getText()).isEqualTo("Wrong user name or password.");

        browser.find("#login-password").clear();
        browser.find("#login-password").sendKeys(PASSWORD);
        browser.find("#login-submit").click();

        browser.waitVisible("#map-canvas");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/#/map");
        browser.waitFor("return document.getElementById('user-name').textContent === 'admin (admin)'");
        assertThat(browser.driver().manage().getCookieNamed("tracemesh_session")).isNotNull();
        browser.screenshot("logged-in");

        browser.find("#logout").click();
        browser.waitVisible("#login-form");
        browser.get(server.baseUrl() + "/index.html#/agents");
        browser.waitVisible("#login-form");
        assertThat(browser.driver().getCurrentUrl()).contains("/login.html");

        // logging in again returns to the view asked for
        browser.find("#login-user").sendKeys(ADMIN);
        browser.find("#login-password").sendKeys(PASSWORD);
        browser.find("#login-submit").click();
        browser.waitVisible("#view-agents");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/#/agents");
    }
}
