// SPDX-License-Identifier: GPL-3.0-or-later
//
// A real OAuth 2.0 / OpenID Connect authorization server for Liaison's tests:
// oidc-provider on 127.0.0.1 and a random port. It prints one line of JSON,
// {"issuer": "http://127.0.0.1:N", "port": N}, and runs until its standard
// input closes (so a crashed test never leaves it behind) or SIGTERM.
//
// Environment:
//   OIDC_ACCESS_TTL  access token lifetime in seconds (default 3600)
//   OIDC_DEBUG       when set, oidc-provider's notices go to stderr

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

// The one line on stdout is our protocol with the test: oidc-provider's
// notices (console.info) must not land there, and none is needed unless
// someone is debugging this server.
const debug = Boolean(process.env.OIDC_DEBUG);
const toStderr = (...args) => { if (debug) console.error(...args); };
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;

// oidc-provider 9 uses URL.parse, which Node.js has from 20.18 and 22.1 on
// (Debian 12's own nodejs 18 is too old). It warns that only 22 LTS or later
// is supported; its code runs on 20.18+, and our tests prove it each run.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18) || typeof URL.parse !== 'function') {
  console.error(`server.mjs: Node.js ${process.versions.node} is too old for oidc-provider 9: use 20.18 or later`);
  process.exit(2);
}

const { default: Provider } = await import('oidc-provider');

const accessTtl = Number.parseInt(process.env.OIDC_ACCESS_TTL ?? '3600', 10);
if (!Number.isInteger(accessTtl) || accessTtl <= 0) {
  console.error('server.mjs: OIDC_ACCESS_TTL must be a positive number of seconds');
  process.exit(2);
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
}

function configuration() {
  return {
    clients: [
      {
        client_id: 'liaison-test',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // Registered without a port: v9 accepts any port on a loopback
        // redirect for native clients; host and path must match exactly.
        redirect_uris: ['http://127.0.0.1/oauth2/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid email profile offline_access',
      },
      {
        client_id: 'introspector',
        client_secret: 'introspector-secret',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
    ],
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: `${sub}@school.test`,
            email_verified: true,
            name: `Test user ${sub}`,
          };
        },
      };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: { keys: [signingKey()] },
    features: {
      devInteractions: { enabled: true },
      revocation: {
        enabled: true,
        // A client revokes only its own tokens.
        allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        // Only the confidential introspector learns about tokens; a public
        // client asking about its own is allowed too, as the default does.
        allowedPolicy: async (ctx, client, token) => (
          client.clientId === 'introspector' || token.clientId === client.clientId
        ),
      },
    },
    pkce: { required: () => true },
    // oidc-provider drops offline_access from a request without
    // prompt=consent; so that a client need not send it, every client with
    // the refresh_token grant gets a refresh token, and it outlives the
    // browser's session at the server.
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: accessTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Grant: 14 * 24 * 3600,
      Interaction: 600,
      RefreshToken: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
  };
}

const server = createServer();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration());

  // Errors are told by kind only: their details may carry a token.
  for (const event of ['server_error', 'grant.error', 'authorization.error', 'introspection.error', 'revocation.error']) {
    provider.on(event, (ctx, error) => toStderr(`oidc-provider ${event}: ${error?.name ?? ''} ${error?.error ?? ''}`));
  }

  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

function stop() {
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
