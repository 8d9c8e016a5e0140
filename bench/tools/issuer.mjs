// The benchmark's local issuer: an RS256 key with a kid, OIDC discovery + JWKS over HTTPS (certificate from a
// throwaway CA), and token files for the scenarios. Usage:
//   node issuer.mjs <out-dir> <https-port> <audience> <distinct-tokens> [<soak-tokens>]
// Writes <out-dir>/token-one.txt, tokens-many.txt, token-scoped.txt, token-admin.txt, token-write.txt, token-bad.txt
// (and tokens-soak.txt when asked; token-bound.txt, bound to <out-dir>/client.crt by RFC 8705 x5t#S256, when that file
// exists; token-mcp.txt for <audience>/mcp), then serves until killed.
import { createRequire } from 'node:module';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';

const require = createRequire(path.resolve('../express-reference/package.json'));
const { generateKeyPair, exportJWK, SignJWT } = require('jose');

const [outDir, port, audience, distinct, soak = '0'] = process.argv.slice(2);
const issuer = 'https://localhost/';
const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-key', alg: 'RS256', use: 'sig' };

async function token(claims, audiences = [audience, `${issuer}userinfo`]) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'openid profile', azp: 'bench-client', ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'bench-key' })
    .setIssuer(issuer).setAudience(audiences).setSubject(claims.sub ?? 'auth0|bench-user')
    .setIssuedAt(now).setExpirationTime(now + 4 * 3600)
    .sign(privateKey);
}

const one = await token({});
writeFileSync(path.join(outDir, 'token-one.txt'), one + '\n');
writeFileSync(path.join(outDir, 'token-scoped.txt'), (await token({ scope: 'read:messages' })) + '\n');
writeFileSync(path.join(outDir, 'token-admin.txt'), (await token({ scope: 'admin:access', role: 'admin', sub: 'auth0|bench-admin' })) + '\n');
writeFileSync(path.join(outDir, 'token-write.txt'), (await token({ scope: 'read:messages write:messages', sub: 'auth0|bench-writer' })) + '\n');
const parts = one.split('.');
writeFileSync(path.join(outDir, 'token-bad.txt'), `${parts[0]}.${parts[1]}.${parts[2].slice(0, -4)}AAAA\n`);
const clientCertificate = path.join(outDir, 'client.crt');
if (existsSync(clientCertificate)) {
  const x5t = createHash('sha256').update(new X509Certificate(readFileSync(clientCertificate)).raw).digest('base64url');
  writeFileSync(path.join(outDir, 'token-bound.txt'), (await token({ cnf: { 'x5t#S256': x5t } })) + '\n');
}
// An agent's token for the MCP resource (<audience>/mcp), read-only.
writeFileSync(path.join(outDir, 'token-mcp.txt'), (await token({ scope: 'read:messages', sub: 'auth0|bench-agent' }, [`${audience}/mcp`, audience])) + '\n');
const many = [];
for (let i = 0; i < Number(distinct); i++) many.push(await token({ sub: `auth0|bench-${i}`, jti: `j${i}` }));
writeFileSync(path.join(outDir, 'tokens-many.txt'), many.join('\n') + '\n');
const churn = [];
for (let i = 0; i < Number(soak); i++) churn.push(await token({ sub: `auth0|soak-${i}`, jti: `s${i}` }));
if (churn.length) writeFileSync(path.join(outDir, 'tokens-soak.txt'), churn.join('\n') + '\n');

const documents = {
  '/.well-known/openid-configuration': { issuer, jwks_uri: `${issuer}.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] },
  '/.well-known/jwks.json': { keys: [jwk] },
};
https.createServer({ key: readFileSync(path.join(outDir, 'server.key')), cert: readFileSync(path.join(outDir, 'server.crt')) }, (req, res) => {
  const body = documents[req.url];
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
  res.end(body ? JSON.stringify(body) : '{}');
}).listen(Number(port), '127.0.0.1', () => console.log('issuer ready'));
