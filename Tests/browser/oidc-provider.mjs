// A certified OpenID provider (panva/oidc-provider) set up like an Auth0 tenant with a single-page application: a
// public client (no secret) using authorization code + PKCE, Auth0's paths (/authorize, /oauth/token), and RS256 JWT
// access tokens for the API's audience. HTTPS on 127.0.0.1 with the certificate the test made. Prints "ready" when
// it listens, then serves until killed. Its own login and consent pages are oidc-provider's development pages.
// Usage: node oidc-provider.mjs <port> <cert.pem> <key.pem> <audience> <redirect-uri>
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import Provider from 'oidc-provider';

const [port, certFile, keyFile, audience, redirectUri] = process.argv.slice(2);
if (!redirectUri) {
  console.error('usage: node oidc-provider.mjs <port> <cert.pem> <key.pem> <audience> <redirect-uri>');
  process.exit(2);
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
const scopes = ['read:messages', 'write:messages', 'admin:access'];

const provider = new Provider(`https://localhost:${port}/`, {
  clients: [{
    client_id: 'swagger-spa',
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
  }],
  jwks: { keys: [signingKey] },
  scopes: ['openid', ...scopes],
  routes: { authorization: '/authorize', token: '/oauth/token', jwks: '/.well-known/jwks.json' },
  pkce: { required: () => true },
  clientBasedCORS: () => true,
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // Auth0's "audience" parameter is not a resource indicator: every token is for the API.
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: scopes.join(' '),
        audience,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});
provider.proxy = false;

createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, provider.callback())
  .listen(Number(port), '127.0.0.1', () => console.log('ready'));
