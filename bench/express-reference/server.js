// Auth0's Express quickstart API (express-oauth2-jwt-bearer), kept as close to the seed as the benchmark allows:
// the same routes and bodies, AUTH0_DOMAIN/AUTH0_AUDIENCE/PORT, the SDK's default RS256 validation.
const express = require('express');
const { auth, requiredScopes } = require('express-oauth2-jwt-bearer');

const app = express();
const checkJwt = auth({
  issuerBaseURL: `https://${process.env.AUTH0_DOMAIN}/`,
  audience: process.env.AUTH0_AUDIENCE,
});

app.get('/health', (req, res) => res.json({ status: 'healthy' }));
app.get('/api/public', (req, res) => res.json({ message: 'Public endpoint - no authentication required' }));
app.get('/api/private', checkJwt, (req, res) => res.json({ message: 'Private endpoint', user: req.auth.payload.sub }));
app.get('/api/messages', checkJwt, requiredScopes('read:messages'), (req, res) =>
  res.json({ messages: [{ id: 1, text: 'Hello from the API!' }] }));

app.use((err, req, res, next) => {
  res.status(err.status || 500).json({ error: err.code || 'server_error', message: err.message });
});

const port = process.env.PORT || 3000;
app.listen(port, '127.0.0.1', () => console.log(`Server running on http://localhost:${port}`));
