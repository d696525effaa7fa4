package net.tracemesh.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** The public login page in a real browser, served by the real web server. */
class UiLoginPageTest extends UiTestBase {
    @Test
    void loginFormRendersWithoutScriptErrors() {
        browser.get(server.baseUrl() + "/login.html");

        WebElement user = browser.waitVisible("#login-user");
        assertThat(user.getAttribute("autocomplete")).isEqualTo("username");
        assertThat(browser.find("#login-password").getAttribute("type")).isEqualTo("password");
        assertThat(browser.find("#login-submit").isDisplayed()).isTrue();
        assertThat(browser.find("#login-error").isDisplayed()).isFalse();
        assertThat(browser.driver().getTitle()).contains("tracemesh");
        browser.screenshot("login");
        assertThat(browser.consoleErrors(m -> false)).isEmpty();
    }

    @Test
    void failedLoginShowsTheServersMessage() {
        browser.get(server.baseUrl() + "/login.html");
        browser.waitVisible("#login-user").sendKeys("alice");
        browser.find("#login-password").sendKeys("not the password");
        browser.find("#login-submit").click();

        WebElement error = browser.waitVisible("#login-error");
        // without the accounts module the server has no login operation and says so in its JSON error
        assertThat(error.getText()).isNotBlank();
        assertThat(browser.driver().getCurrentUrl()).endsWith("/login.html");
        browser.screenshot("login-failed");
        assertThat(browser.consoleErrors(m -> m.contains("Failed to load resource"))).isEmpty();
    }

    @Test
    void theAppSendsVisitorsWithoutASessionToTheLoginPage() {
        browser.get(server.baseUrl() + "/index.html#/map");

        browser.waitVisible("#login-form");
        assertThat(browser.driver().getCurrentUrl()).contains("/login.html");
    }
}
