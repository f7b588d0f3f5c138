// A real OpenID Provider for the test suite: node-oidc-provider with a test-only auto-login. The fixture starts it
// with its issuer, clients and signing keys, chooses who "signs in" next through POST /test/account, and rotates the
// signing keys while it runs through POST /test/keys (a JWKS with private keys; the first key signs). Never run
// this anywhere but a test.
//
// Environment: PORT, CLIENTS (JSON array of oidc-provider client metadata), KEYS_FILE (a JWKS with private keys).
import http from 'node:http';
import fs from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.CLIENTS);
let account = { sub: 'alice-subject', email: 'alice@idp.example', email_verified: true, name: 'Alice Provider' };

// node-oidc-provider reads its keys once, so a rotation builds a new provider with the same issuer and clients; its
// sessions, grants and codes live in the module's in-memory store, which every instance shares.
const createProvider = (jwks) => {
  const created = new Provider(issuer, {
    clients,
    jwks,
    findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ ...account, sub: id }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'picture'] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-only-cookie-signing-key'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The confirmation page: a form the test (or a browser) submits.
        logoutSource: async (ctx, form) => {
          ctx.body = `<!doctype html><html><body>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button></body></html>`;
        },
      },
    },
  });
  created.on('server_error', (ctx, error) => console.error('server_error', error));
  return created;
};
let provider = createProvider(JSON.parse(fs.readFileSync(process.env.KEYS_FILE, 'utf8')));
let handle = provider.callback();

async function readJson(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

http.createServer(async (req, res) => {
  try {
    if (req.url.startsWith('/interaction/')) return await interaction(req, res);
    if (req.url === '/test/account' && req.method === 'POST') {
      account = await readJson(req);
      res.writeHead(204).end();
      return;
    }
    if (req.url === '/test/keys' && req.method === 'POST') {
      provider = createProvider(await readJson(req));
      handle = provider.callback();
      res.writeHead(204).end();
      return;
    }
    handle(req, res);
  } catch (error) {
    console.error(error);
    res.writeHead(500).end(String(error));
  }
}).listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
