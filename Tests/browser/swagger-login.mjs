// Logs in through Swagger UI's "Auth0" scheme (authorization code + PKCE) against an OpenID provider, as a new user
// would: Authorize, the provider's login and consent pages in the pop-up, back to Swagger UI, then executes
// GET /api/messages. Prints {"status":…, "tokenStatus":…, "secretSent":…, "realmSent":…} and saves a screenshot.
// Usage: node swagger-login.mjs <api-base-url> <screenshot.png>
import { launchChromium } from './chromium.mjs';

const [baseUrl, screenshot] = process.argv.slice(2);
if (!baseUrl || !screenshot) {
  console.error('usage: node swagger-login.mjs <api-base-url> <screenshot.png>');
  process.exit(2);
}

const browser = await launchChromium();
try {
  // The provider's certificate was made by the test for this run; the API checks it properly (it trusts that file).
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1400 } });
  context.setDefaultTimeout(60000);
  let secretSent = false;
  let realmSent = false;
  let tokenStatus = 0;
  context.on('request', request => {
    const url = new URL(request.url());
    if (url.pathname === '/authorize' && url.searchParams.has('realm')) realmSent = true;
    if (url.pathname === '/oauth/token' && request.method() === 'POST'
        && new URLSearchParams(request.postData() ?? '').has('client_secret')) secretSent = true;
  });
  context.on('response', response => {
    if (new URL(response.url()).pathname === '/oauth/token' && response.request().method() === 'POST') tokenStatus = response.status();
  });

  const page = await context.newPage();
  await page.goto(`${baseUrl}/swagger/index.html`);
  await page.locator('.scheme-container button.authorize').click();
  const auth0 = page.locator('.modal-ux .auth-container', { hasText: 'authorizationCode' });
  const popupOpened = context.waitForEvent('page');
  await auth0.locator('.auth-btn-wrapper button', { hasText: 'Authorize' }).click();
  const popup = await popupOpened;

  // oidc-provider's development login page, then its consent page; then back to Swagger UI's redirect page.
  // The pop-up closes itself once Swagger UI has the code: listen before the last click, which starts it.
  const popupClosed = popup.waitForEvent('close', { timeout: 60000 });
  await popup.locator('input[name="login"]').fill('auth0|swagger-user');
  await popup.locator('input[name="password"]').fill('any');
  await popup.locator('button[type="submit"]').click();
  await popup.locator('button[type="submit"]', { hasText: 'Continue' }).click({ noWaitAfter: true });
  await popupClosed;

  try {
    await auth0.locator('.auth-btn-wrapper button', { hasText: 'Logout' }).waitFor();
  } catch (e) {
    console.error(JSON.stringify({ tokenStatus, secretSent, realmSent, dialog: await page.locator('.modal-ux').innerText() }));
    throw e;
  }
  await page.locator('.modal-ux button.btn-done').first().click();

  await page.locator('h3.opblock-tag', { hasText: 'Messages' }).click();
  const operation = page.locator('.opblock.opblock-get', { has: page.locator('.opblock-summary-path[data-path="/api/messages"]') });
  await operation.locator('.opblock-summary').first().click();
  const tryOut = operation.locator('button.try-out__btn:not(.cancel)');
  if (await tryOut.count() > 0) await tryOut.click();
  const answered = page.waitForResponse(r => new URL(r.url()).pathname === '/api/messages');
  await operation.locator('button.execute').click();
  const response = await answered;
  const shown = operation.locator('.live-responses-table tbody .response-col_status').first();
  for (let i = 0; i < 50 && (await shown.innerText()).trim() !== String(response.status()); i++)
    await page.waitForTimeout(100);
  await page.screenshot({ path: screenshot, fullPage: false });

  console.log(JSON.stringify({ status: response.status(), shown: Number((await shown.innerText()).trim()), tokenStatus, secretSent, realmSent }));
} finally {
  await browser.close();
}
