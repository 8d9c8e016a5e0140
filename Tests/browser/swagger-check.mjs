// Opens Swagger UI in Debian's headless Chromium, authorizes with a bearer token, executes GET /api/private,
// then logs out and executes it again. Prints {"withToken":<status>,"withoutToken":<status>} and saves a screenshot.
// Usage: node swagger-check.mjs <base-url> <token> <screenshot.png>
import { launchChromium } from './chromium.mjs';

const [baseUrl, token, screenshot] = process.argv.slice(2);
if (!baseUrl || !token || !screenshot) {
  console.error('usage: node swagger-check.mjs <base-url> <token> <screenshot.png>');
  process.exit(2);
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.setDefaultTimeout(20000);
  await page.goto(`${baseUrl}/swagger/index.html`);

  await page.locator('h3.opblock-tag', { hasText: 'Protected' }).click();
  const operation = page.locator('.opblock', { has: page.locator('.opblock-summary-path[data-path="/api/private"]') });
  await operation.locator('.opblock-summary').first().click();

  async function execute() {
    const tryOut = operation.locator('button.try-out__btn:not(.cancel)');
    if (await tryOut.count() > 0) await tryOut.click();
    const responses = page.waitForResponse(r => r.url().endsWith('/api/private'));
    await operation.locator('button.execute').click();
    const response = await responses;
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    for (let i = 0; i < 50 && (await status.innerText()).trim() !== String(response.status()); i++)
      await page.waitForTimeout(100);
    const shown = (await status.innerText()).trim();
    if (shown !== String(response.status())) throw new Error(`page shows ${shown}, network saw ${response.status()}`);
    return response.status();
  }

  async function openAuthorize() {
    await page.locator('.scheme-container button.authorize').click();
    await page.locator('.modal-ux').waitFor();
  }

  await openAuthorize();
  await page.locator('.modal-ux .auth-container input').first().fill(token);
  await page.locator('.modal-ux .auth-btn-wrapper button', { hasText: 'Authorize' }).first().click();
  await page.locator('.modal-ux button.btn-done').first().click();
  const withToken = await execute();
  await page.screenshot({ path: screenshot, fullPage: false });

  await openAuthorize();
  await page.locator('.modal-ux .auth-btn-wrapper button', { hasText: 'Logout' }).first().click();
  await page.locator('.modal-ux button.btn-done').first().click();
  const withoutToken = await execute();

  console.log(JSON.stringify({ withToken, withoutToken }));
} finally {
  await browser.close();
}
