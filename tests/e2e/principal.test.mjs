// Kusto principal descriptors (pkg-template/principal.js), as the package ships them: every
// documented shape, the refusals, and the descriptor of a signed-in account's ID-token claims.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { parsePrincipal, principalDescriptor } = await import(new URL('../../build/pkg/principal.js', import.meta.url));
const { ClientConfigurationError } = await import(new URL('../../build/pkg/errors.js', import.meta.url));

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = '12345678-1234-1234-1234-123456789012';
const MSA_TID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** The error `run` throws, checked to be the typed refusal. */
function refusal(run) {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ClientConfigurationError, `${error}`);
    assert.equal(error.errorCode, 'invalid_principal');
    return error;
  }
  assert.fail('expected a refusal');
}

test('every documented shape parses, and writes back as it was', () => {
  for (const text of [
    'aaduser=alice@contoso.com',
    `aaduser=alice@contoso.com;${TID}`,
    'aaduser=alice@contoso.com;contoso.com',
    `aaduser=${OID};${TID}`,
    `aaduser=${OID};contoso.onmicrosoft.com`,
    'aaduser=bob_fabrikam.com#EXT#@contoso.onmicrosoft.com',
    'aadgroup=sales@contoso.com',
    `aadgroup=${OID};${TID}`,
    'aadgroup=Sales Team;contoso.com',
    `aadapp=${OID};${TID}`,
    `aadapp=${OID};contoso.com`,
    `aadapp=My Application;${TID}`,
    'msauser=someone@live.com',
  ]) {
    const parsed = parsePrincipal(text);
    assert.equal(parsed.descriptor, text);
    assert.deepEqual(parsePrincipal(parsed.descriptor), parsed);
  }
  assert.deepEqual(parsePrincipal('  AADUser = alice@contoso.com ; contoso.com '), {
    kind: 'aaduser',
    identity: 'alice@contoso.com',
    tenant: 'contoso.com',
    descriptor: 'aaduser=alice@contoso.com;contoso.com',
  });
  assert.deepEqual(parsePrincipal('msauser=someone@live.com'), { kind: 'msauser', identity: 'someone@live.com', descriptor: 'msauser=someone@live.com' });
});

test('a malformed descriptor is refused with what is wrong', () => {
  for (const [text, why] of [
    ['alice@contoso.com', 'kind=identity'],
    ['user=alice@contoso.com', 'aaduser, aadgroup'],
    ['aaduser=', 'empty'],
    ['aaduser=alice', 'UPN'],
    [`aaduser=${OID}`, 'needs a tenant'],
    ['aadgroup=Sales Team', 'needs a tenant'],
    [`aadapp=${OID}`, 'aadapp needs a tenant'],
    ['aadapp=x;', 'tenant must be'],
    ['aadapp=x;not a tenant', 'tenant must be'],
    ['aaduser=a@b.com;c.com;d.com', 'more than one'],
    ["aaduser=o'brien@contoso.com", 'quotes'],
    ["aaduser=a@b.com');.drop table T//", 'quotes'],
    ['aaduser=a\n@b.com', 'control'],
    ['msauser=someone@live.com;contoso.com', 'no tenant'],
    ['msauser=someone', 'e-mail'],
    ['msagroup=x@live.com', 'no groups'],
  ]) {
    const error = refusal(() => parsePrincipal(text));
    assert.ok(error.errorMessage.includes(why), `${JSON.stringify(text)}: ${error.errorMessage}`);
  }
  assert.ok(refusal(() => parsePrincipal("aaduser=o'brien@contoso.com")).errorMessage.startsWith("'aaduser=o'brien@contoso.com' is not a valid principal descriptor"));
  assert.match(refusal(() => parsePrincipal(42)).errorMessage, /must be a string/);
});

test('the refused text is quoted cut short, without control characters or markup', () => {
  const message = refusal(() => parsePrincipal(`aaduser=<b>\u0007${'x'.repeat(200)}`)).errorMessage;
  assert.ok(message.startsWith("'aaduser=‹b›x"), message);
  assert.ok(!/[<>\u0007]/.test(message), message);
  assert.ok(message.includes("x…' is not a valid"), message);
  assert.equal(message.split("'")[1].length, 121);
});

test('long runs of spaces take linear time', () => {
  // Anchored-at-the-end regexes take quadratic time on these: minutes, where this takes milliseconds.
  const spaces = ' '.repeat(200_000);
  const started = performance.now();
  assert.match(refusal(() => parsePrincipal(`aaduser=a${spaces}b@c.com`)).errorMessage, /UPN/);
  assert.match(refusal(() => parsePrincipal(`${spaces}x${spaces}`)).errorMessage, /kind=identity/);
  assert.equal(parsePrincipal(`${spaces}aaduser=a@b.com${spaces}`).descriptor, 'aaduser=a@b.com');
  const ms = performance.now() - started;
  assert.ok(ms < 2000, `${ms} ms`);
});

test("a signed-in account's descriptor comes from its ID-token claims", () => {
  const account = (claims) => ({ homeAccountId: 'h', username: 'u', idTokenClaims: claims });
  assert.equal(principalDescriptor(account({ tid: TID, oid: OID, preferred_username: 'alice@contoso.com' })), `aaduser=${OID};${TID}`);
  // The claims themselves are taken too.
  assert.equal(principalDescriptor({ tid: TID, oid: OID }), `aaduser=${OID};${TID}`);
  assert.equal(principalDescriptor(account({ tid: MSA_TID, oid: OID, preferred_username: 'someone@live.com' })), 'msauser=someone@live.com');
  assert.equal(principalDescriptor(account({ tid: MSA_TID.toUpperCase(), email: 'someone@outlook.com', preferred_username: 'someone' })), 'msauser=someone@outlook.com');
  for (const claims of [{ oid: 'x' }, { tid: TID }, { tid: MSA_TID }, { tid: 't', oid: 'o' }, { tid: TID, oid: 7 }, [], null]) {
    assert.match(refusal(() => principalDescriptor(account(claims))).errorMessage, /^The ID token lacks /, JSON.stringify(claims));
  }
  for (const nothing of [undefined, null, 'aaduser=x']) refusal(() => principalDescriptor(nothing));
});

test('whatever the text, a typed refusal or a descriptor that reads back the same', () => {
  // A fixed pseudo-random sequence: descriptors built of likely parts, then some of them with a
  // character that matters here put in at random.
  let seed = 1;
  const next = (n) => (seed = (seed * 48271) % 2147483647) % n;
  const pick = (list) => list[next(list.length)];
  const kinds = ['aaduser=', 'AADGroup =', 'aadapp=', 'msauser=', 'msagroup=', 'user=', ''];
  const identities = ['alice@contoso.com', OID, 'Sales Team', 'x', '', ' bob@live.com '];
  const tenants = ['', `;${TID}`, ';contoso.com', ';', ';not a tenant'];
  const noise = ['=', ';', '@', '.', ' ', "'", '"', '\\', '\n', '\u00a0', '\ufeff', 'é', '😀', '<'];
  const seen = { accepted: 0, refused: 0 };
  for (let i = 0; i < 5000; i++) {
    let text = pick(kinds) + pick(identities) + pick(tenants);
    if (next(2)) {
      const at = next(text.length + 1);
      text = text.slice(0, at) + pick(noise) + text.slice(at);
    }
    let parsed;
    try {
      parsed = parsePrincipal(text);
    } catch (error) {
      assert.ok(error instanceof ClientConfigurationError && error.errorCode === 'invalid_principal', `${JSON.stringify(text)}: ${error}`);
      seen.refused++;
      continue;
    }
    seen.accepted++;
    assert.deepEqual(parsePrincipal(parsed.descriptor), parsed, JSON.stringify(text));
  }
  assert.ok(seen.accepted > 250 && seen.refused > 250, JSON.stringify(seen));
});
