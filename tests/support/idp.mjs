// A local OpenID Connect provider for end-to-end tests, built on panva's oidc-provider.
//
//   import { startIdp } from './support/idp.mjs';
//   const idp = await startIdp({ appOrigins: ['http://localhost:9410'] });
//
// or, by hand: node support/idp.mjs --port 9400 --app-origin http://localhost:9410
//
// Token responses carry refresh_token_expires_in, as Entra's do for single-page apps.
// Sign-in is oidc-provider's login form (input[name=login], input[name=password], any values);
// consent and the logout confirmation are automatic. Test hooks, in process and over HTTP:
//   counts()           GET  /__test/counts  { token: { authorization_code, refresh_token, ... },
//                                             paths: { GET path: n }, posts: { path: n },
//                                             preflights: { path: n } }
//   resetCounts()      POST /__test/reset   (over HTTP this also clears faults)
//   refreshTokens()    (in process only) every refresh token issued so far, oldest first
//   setFault(fault)    POST /__test/fault   { path, status, times = 1, grantType?, retryAfter?, body? }
//     the next `times` requests to `path` (of that grant type, if given) get `status` with a JSON
//     body and CORS headers for the app origins; they are still counted. setFault(null) clears.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { pathToFileURL } from 'node:url';

import Provider, { errors } from 'oidc-provider';

import { closeOnSignal, listenLocalhost } from './listen.mjs';

export const DEFAULT_CLIENT_ID = 'kusto-spa-auth-test';
export const TENANT_ID = '3f6c1e0a-8b4d-4e2f-9a71-5d0c2b8e4f13';

// A stable object id for a login, shaped like an Entra `oid`.
export function oidFor(login) {
  const h = createHash('sha256').update(`oid:${login}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function usernameFor(login) {
  return login.includes('@') ? login : `${login}@example.com`;
}

const DOT_DEFAULT = '/.default';

// `<resource>/.default` scopes name a resource, as with Entra ID.
function resourcesInScope(scope) {
  return (scope ?? '').split(' ')
    .filter((s) => s.endsWith(DOT_DEFAULT))
    .map((s) => s.slice(0, -DOT_DEFAULT.length))
    .filter(isResource);
}

function isResource(value) {
  const url = URL.parse(value);
  if (!url || url.hash || url.search) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost');
}

function emptyCounts() {
  return { token: { authorization_code: 0, refresh_token: 0 }, paths: {}, posts: {}, preflights: {} };
}

const HARMLESS_NOTICES = [
  /development-only in-memory adapter/,
  /devInteractions is enabled/,
  /you SHOULD change it/,
  /already parsed request body detected/,
];

// oidc-provider prints setup advice through console.info/console.warn; keep everything else.
let noticesFiltered = false;
function filterProviderNotices() {
  if (noticesFiltered) return;
  noticesFiltered = true;
  for (const level of ['info', 'warn']) {
    const original = console[level];
    console[level] = (...args) => {
      const text = String(args[0]);
      if (text.startsWith('oidc-provider ') && HARMLESS_NOTICES.some((re) => re.test(text))) return;
      original.apply(console, args);
    };
  }
}

/**
 * @param {object} options
 * @param {string[]} options.appOrigins  origins allowed to redirect back and call the token endpoint
 * @param {number} [options.port=0]
 * @param {string} [options.clientId]
 * @param {string[]} [options.redirectUris]  extra exact redirect URIs (any path on an app origin is accepted anyway)
 * @param {number} [options.accessTokenTtl=3600]
 * @param {number} [options.idTokenTtl=3600]
 * @param {number} [options.refreshTokenTtl=86400] counted from sign-in; rotation does not extend it
 * @param {number} [options.sessionTtl=86400]
 * @param {{ key, cert }} [options.tls]  serve https (for clients that refuse an http authority)
 * @param {boolean} [options.coop=false]  send `Cross-Origin-Opener-Policy: same-origin`, as Entra's
 *   pages do: a popup that shows them loses its opener
 * @returns {Promise<{ issuer, port, clientId, provider, counts(), resetCounts(), refreshTokens(), setFault(fault), close() }>}
 */
export async function startIdp(options = {}) {
  filterProviderNotices();
  const appOrigins = (options.appOrigins ?? []).map((o) => new URL(o).origin);
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const accessTokenTtl = options.accessTokenTtl ?? 3600;
  const refreshTokenTtl = options.refreshTokenTtl ?? 86400;
  const idTokenTtl = options.idTokenTtl ?? 3600;
  const sessionTtl = options.sessionTtl ?? 86400;

  let counts = emptyCounts();
  const issuedRefreshTokens = [];
  let faults = [];

  // The issuer needs the port, so listen first and route to the provider once it exists.
  let app = (req, res) => { res.statusCode = 503; res.end(); };
  const { port, close } = await listenLocalhost((req, res) => app(req, res), options.port ?? 0, options.tls);
  const issuer = `${options.tls ? 'https' : 'http'}://localhost:${port}`;
  let provider;
  try {
    provider = configure(issuer);
    app = provider.callback();
  } catch (err) {
    await close();
    throw err;
  }

  // The whole provider setup: one public client, auto-consent, resource-bound JWT access tokens.
  function configure(issuer) {
    const appUris = [...appOrigins.map((o) => `${o}/`), ...(options.redirectUris ?? [])];
    const onAppOrigin = (uri) => {
      const url = URL.parse(uri);
      return Boolean(url && !url.hash && appOrigins.includes(url.origin));
    };

    const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      .export({ format: 'jwk' });

    const op = new Provider(issuer, {
      clients: [{
        client_id: clientId,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: appUris,
        post_logout_redirect_uris: appUris,
      }],
      jwks: { keys: [{ ...signingKey, kid: 'test-rs256', use: 'sig', alg: 'RS256' }] },
      cookies: { keys: ['local-test-idp-cookie-key'] },
      responseTypes: ['code'],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      claims: {
        openid: ['sub', 'oid', 'tid'],
        profile: ['name', 'preferred_username'],
        email: ['email', 'email_verified'],
      },
      pkce: { required: () => true },
      clientBasedCORS: (ctx, origin) => appOrigins.includes(origin),
      findAccount: (ctx, sub) => ({
        accountId: sub,
        claims: () => ({
          sub,
          name: sub.split('@')[0],
          preferred_username: usernameFor(sub),
          email: usernameFor(sub),
          email_verified: true,
          oid: oidFor(sub),
          tid: TENANT_ID,
        }),
      }),
      // No consent page: whatever our client asks for is granted at once.
      loadExistingGrant: async (ctx) => {
        const { oidc } = ctx;
        const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
        let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
        if (oidc.client.clientId !== clientId) return grant;
        if (!grant || grant.accountId !== oidc.session.accountId) {
          grant = new oidc.provider.Grant({ accountId: oidc.session.accountId, clientId });
        }
        grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' ') || 'openid');
        if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
        for (const [resource, server] of Object.entries(oidc.resourceServers)) {
          grant.addResourceScope(resource, server.scope);
        }
        await grant.save();
        return grant;
      },
      // oidc-provider drops offline_access from requests that carry a prompt other than consent
      // (prompt=none, select_account, login). Issue refresh tokens to our client anyway, and record
      // offline_access on the code so that a refresh request re-sending it is not `invalid_scope`.
      issueRefreshToken: async (ctx, client, code) => {
        if (!client.grantTypeAllowed('refresh_token')) return false;
        if (client.clientId === clientId && !code.scopes.has('offline_access')) {
          code.scope = [...code.scopes, 'offline_access'].join(' ');
        }
        return code.scopes.has('offline_access');
      },
      // Refresh tokens outlive the IdP session, like Entra's; logout does not revoke them.
      expiresWithSession: () => false,
      ttl: {
        AccessToken: accessTokenTtl,
        AuthorizationCode: 120,
        IdToken: idTokenTtl,
        Interaction: 600,
        Session: sessionTtl,
        Grant: Math.max(sessionTtl, refreshTokenTtl),
        // Rotation keeps the expiry of the first refresh token (no sliding window).
        RefreshToken: (ctx) => ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? refreshTokenTtl,
      },
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          // Confirm at once, so that the browser just lands on post_logout_redirect_uri.
          logoutSource: (ctx, form) => {
            const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
            ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing out</title></head>
<body>${confirmed}<script>document.getElementById('op.logoutForm').submit()</script></body></html>`;
          },
        },
        resourceIndicators: {
          enabled: true,
          defaultResource: (ctx, client, oneOf) => {
            const requested = resourcesInScope(ctx.oidc.params.scope);
            if (oneOf) return requested.find((r) => oneOf.includes(r)) ?? (oneOf.length === 1 ? oneOf[0] : oneOf);
            if (requested.length === 0) return undefined;
            return requested.length === 1 ? requested[0] : requested;
          },
          getResourceServerInfo: (ctx, resource) => {
            if (!isResource(resource)) throw new errors.InvalidTarget();
            return {
              scope: `${resource}${DOT_DEFAULT}`,
              audience: resource,
              accessTokenFormat: 'jwt',
              accessTokenTTL: accessTokenTtl,
              jwt: { sign: { alg: 'RS256' } },
            };
          },
          useGrantedResource: () => true,
        },
      },
    });

    op.Client.prototype.redirectUriAllowed = function redirectUriAllowed(uri) {
      return this.redirectUris.includes(uri) || (this.clientId === clientId && onAppOrigin(uri));
    };
    op.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutAllowed(uri) {
      return this.postLogoutRedirectUris.includes(uri) || (this.clientId === clientId && onAppOrigin(uri));
    };

    op.on('server_error', (ctx, err) => {
      console.error(`test IdP: server error on ${ctx.method} ${ctx.path}:`, err);
    });

    op.use(testHooks);
    op.use(stripRemoteFonts);
    return op;
  }

  // Counts what reaches the IdP, answers /__test/*, and plays injected faults.
  async function testHooks(ctx, next) {
    if (ctx.path.startsWith('/__test/')) return testEndpoint(ctx);
    if (ctx.path === '/favicon.ico') {
      // Chromium asks for one on every page without an icon; a 404 would be a console error.
      ctx.status = 204;
      return undefined;
    }

    let grantType;
    if (ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded')) {
      // Read the body here; oidc-provider accepts an already-read body via ctx.request.body.
      const raw = await readText(ctx.req);
      ctx.request.body = raw;
      grantType = new URLSearchParams(raw).get('grant_type') ?? undefined;
    }
    count(ctx.method, ctx.path, grantType);
    if (options.coop) ctx.set('Cross-Origin-Opener-Policy', 'same-origin');

    const fault = ctx.method !== 'OPTIONS' && faults.find((f) => f.times > 0 && f.path === ctx.path
      && (!f.grantType || f.grantType === grantType));
    if (!fault) {
      await next();
      if (ctx.path === '/token') await refreshTokenIssued(ctx);
      return undefined;
    }
    fault.times -= 1;
    faults = faults.filter((f) => f.times > 0);
    const origin = ctx.get('origin');
    if (appOrigins.includes(origin)) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Vary', 'Origin');
    }
    if (fault.retryAfter !== undefined) {
      ctx.set('Retry-After', String(fault.retryAfter));
      ctx.set('Access-Control-Expose-Headers', 'Retry-After');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.status = fault.status;
    ctx.body = fault.body ?? { error: 'temporarily_unavailable', error_description: 'injected test fault' };
  }

  // A token answer with a refresh token: the token is recorded (refreshTokens()), and its real
  // remaining lifetime reported as Entra reports it to single-page apps (refresh_token_expires_in).
  async function refreshTokenIssued(ctx) {
    const body = ctx.body;
    if (ctx.status !== 200 || !body || typeof body.refresh_token !== 'string') return;
    issuedRefreshTokens.push(body.refresh_token);
    const token = await provider.RefreshToken.find(body.refresh_token);
    if (token?.exp) ctx.body = { ...body, refresh_token_expires_in: Math.max(0, token.exp - Math.floor(Date.now() / 1000)) };
  }

  function count(method, path, grantType) {
    if (method === 'GET') counts.paths[path] = (counts.paths[path] ?? 0) + 1;
    else if (method === 'OPTIONS') counts.preflights[path] = (counts.preflights[path] ?? 0) + 1;
    else counts.posts[path] = (counts.posts[path] ?? 0) + 1;
    if (method === 'POST' && path === '/token') {
      const key = grantType ?? '(none)';
      counts.token[key] = (counts.token[key] ?? 0) + 1;
    }
  }

  function setFault(fault) {
    if (!fault) {
      faults = [];
      return;
    }
    if (typeof fault.path !== 'string' || !Number.isInteger(fault.status)) {
      throw new TypeError('a fault needs { path: string, status: integer }');
    }
    faults.push({ times: 1, ...fault });
  }

  // The test endpoints answer any origin: browser-side tests may read the counters too.
  async function testEndpoint(ctx) {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST');
      ctx.set('Access-Control-Allow-Headers', 'content-type');
      ctx.status = 204;
    } else if (ctx.method === 'GET' && ctx.path === '/__test/counts') {
      ctx.body = structuredClone(counts);
    } else if (ctx.method === 'POST' && ctx.path === '/__test/reset') {
      counts = emptyCounts();
      faults = [];
      ctx.status = 204;
    } else if (ctx.method === 'POST' && ctx.path === '/__test/fault') {
      try {
        setFault(JSON.parse(await readText(ctx.req)));
        ctx.status = 204;
      } catch (err) {
        ctx.status = 400;
        ctx.body = { error: String(err.message) };
      }
    } else {
      ctx.status = 404;
    }
  }

  return {
    issuer,
    port,
    clientId,
    provider,
    counts: () => structuredClone(counts),
    resetCounts: () => { counts = emptyCounts(); },
    refreshTokens: () => [...issuedRefreshTokens],
    setFault,
    close,
  };
}

// oidc-provider's built-in pages import a web font from the internet; the browser under test
// must not leave the machine.
async function stripRemoteFonts(ctx, next) {
  await next();
  if (typeof ctx.body === 'string' && ctx.response.is('html')) {
    ctx.body = ctx.body.replace(/@import url\(https?:[^)]*\);?/g, '');
  }
}

async function readText(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(argv) {
  const opts = { appOrigins: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--port') opts.port = Number(value);
    else if (flag === '--app-origin') opts.appOrigins.push(value);
    else if (flag === '--client-id') opts.clientId = value;
    else throw new Error(`unknown argument ${flag}`);
    i += 1;
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const idp = await startIdp(parseArgs(process.argv.slice(2)));
  console.log(idp.issuer);
  closeOnSignal(idp.close);
}
