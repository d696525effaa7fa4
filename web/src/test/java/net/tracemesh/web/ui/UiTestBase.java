package net.tracemesh.web.ui;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the UI tests share: one real web server per test class (with the test authenticator and no API
 * module), a fresh headless Chromium per test.
 */
abstract class UiTestBase {
    static UiTestServer server;
    Browser browser;

    @BeforeAll
    static void startServer() throws Exception {
        server = UiTestServer.start(List.of());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.open();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Gives the browser the test authenticator's session cookie. */
    void signIn() {
        browser.addCookie(server.baseUrl(), "/login.html", UiTestServer.SESSION_COOKIE, UiTestServer.SESSION_VALUE);
    }
}
