// Kusto principal descriptors, the strings its security commands take
// (`.add database Samples viewers ('aaduser=alice@contoso.com')`):
//
// | descriptor | tenant |
// |---|---|
// | `aaduser=UPN`, `aaduser=UPN;Tenant`, `aaduser=ObjectId;Tenant` | optional for a UPN (inferred from its domain), required for an object id |
// | `aadgroup=GroupEmail`, `aadgroup=ObjectId;Tenant`, `aadgroup=DisplayName;Tenant` | likewise; only security groups work, not distribution groups |
// | `aadapp=AppId;Tenant`, `aadapp=DisplayName;Tenant` | always required |
// | `msauser=someone@live.com` | none: Microsoft accounts have no tenant and no groups |
//
// `Tenant` is a tenant id (GUID) or name (`contoso.com`). Descriptors are embedded in quoted KQL
// string literals, so quotes, backslashes and control characters are refused outright.
//
// Plain JS rather than the wasm: synchronous, needed by no other part of the library, and a
// fraction of the bytes the same checks take in the sign-in module (docs/measurements.md).
import { createAuthError } from "./errors.js";

// The tenant of personal Microsoft accounts in Entra ID tokens.
const MSA_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";
const KINDS = ["aaduser", "aadgroup", "aadapp", "msauser"];
// Unicode White_Space, as the library's Rust code takes it (`String.prototype.trim` also takes
// U+FEFF). Trimmed by hand: a regex anchored at the end would try every start in a long run of
// spaces, quadratic time on untrusted text. Every White_Space character is one UTF-16 unit.
const SPACE = /\p{White_Space}/u;
const trim = (s) => {
  let start = 0;
  let end = s.length;
  while (start < end && SPACE.test(s[start])) start++;
  while (end > start && SPACE.test(s[end - 1])) end--;
  return s.slice(start, end);
};
const lowerAscii = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const isGuid = (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const isDomain = (s) => {
  const labels = s.split(".");
  return labels.length >= 2 && labels.every((label) => /^[A-Za-z0-9-]{1,63}$/.test(label));
};
const isEmail = (s) => {
  const at = s.lastIndexOf("@");
  return at > 0 && isDomain(s.slice(at + 1)) && !SPACE.test(s);
};

// Untrusted text cut short and made inert before it goes into a message: no control characters,
// and angle brackets as look-alikes, so that an app showing the message as HTML gets no markup.
function excerpt(text, max) {
  const chars = [...text];
  const shown = chars.filter((c) => !/\p{Cc}/u.test(c)).map((c) => (c === "<" ? "‹" : c === ">" ? "›" : c));
  return shown.slice(0, max).join("") + (chars.length > max ? "…" : "");
}

const refusal = (message) => createAuthError("ClientConfigurationError", "invalid_principal", message, "", "", "");
const invalid = (shown, why) => refusal(`'${excerpt(shown, 120)}' is not a valid principal descriptor: ${why}.`);

const descriptor = ({ kind, identity, tenant }) => `${kind}=${identity}${tenant === undefined ? "" : `;${tenant}`}`;

// Why the parts do not make a descriptor (see the table above), or "" when they do.
function fault({ kind, identity, tenant }) {
  if (/[\p{Cc}'"\\;=]/u.test(identity + (tenant ?? ""))) return "it may not contain quotes, backslashes, control characters, or more than one ';' or '='";
  if (!identity) return "the identity is empty";
  if (tenant !== undefined && !isGuid(tenant) && !isDomain(tenant)) return "the tenant must be a tenant id (GUID) or a domain such as contoso.com";
  const email = isEmail(identity);
  if (kind === "msauser") return tenant !== undefined ? "Microsoft accounts have no tenant; write msauser=someone@live.com" : email ? "" : "msauser takes the account's e-mail address";
  if (kind === "aaduser" && !email && !isGuid(identity)) return "aaduser takes a UPN (alice@contoso.com) or an object id";
  if (kind === "aadapp" && tenant === undefined) return "aadapp needs a tenant: aadapp=AppId;TenantId or aadapp=AppId;contoso.com";
  if (tenant === undefined && !email) return "an object id or display name needs a tenant: add ;TenantId or ;contoso.com";
  return "";
}

function checked(principal, shown) {
  const why = fault(principal);
  if (why) throw invalid(shown, why);
  return principal;
}

/** Parses and checks a principal descriptor (`aaduser=`, `aadgroup=`, `aadapp=`, `msauser=`). */
export function parsePrincipal(input) {
  if (typeof input !== "string") throw refusal("A principal descriptor must be a string, such as aaduser=alice@contoso.com.");
  const text = trim(input);
  const equals = text.indexOf("=");
  if (equals < 0) throw invalid(text, "expected kind=identity, such as aaduser=alice@contoso.com");
  const kind = lowerAscii(trim(text.slice(0, equals)));
  if (kind === "msagroup") throw invalid(text, "Microsoft accounts have no groups");
  if (!KINDS.includes(kind)) throw invalid(text, "the kind must be aaduser, aadgroup, aadapp or msauser");
  const [identity, ...tenant] = text.slice(equals + 1).split(";");
  const principal = { kind, identity: trim(identity) };
  // A second ';' stays in the tenant, for the check to refuse.
  if (tenant.length) principal.tenant = trim(tenant.join(";"));
  checked(principal, text);
  return { ...principal, descriptor: descriptor(principal) };
}

/**
 * The Kusto principal descriptor of a signed-in account (`aaduser=<oid>;<tid>`, unambiguous
 * also for guests, or `msauser=<e-mail>` for a personal Microsoft account), for
 * `.add database ... users (...)`.
 */
export function principalDescriptor(account) {
  const claims = account?.idTokenClaims !== undefined ? account.idTokenClaims : account;
  const claim = (name) => (typeof claims?.[name] === "string" ? claims[name] : undefined);
  const missing = (what) => refusal(`The ID token lacks ${what}, so the account's principal descriptor cannot be formed (the provider may not be Entra ID).`);
  const tid = claim("tid");
  if (tid === undefined) throw missing("the tid claim");
  let principal;
  if (lowerAscii(tid) === MSA_TENANT_ID) {
    const email = [claim("email"), claim("preferred_username")].find((e) => e !== undefined && isEmail(e));
    if (email === undefined) throw missing("an e-mail address (email or preferred_username claim)");
    principal = { kind: "msauser", identity: trim(email) };
  } else {
    const oid = claim("oid");
    if (oid === undefined) throw missing("the oid claim");
    if (!isGuid(oid) || !isGuid(tid)) throw missing("a GUID oid and tid");
    principal = { kind: "aaduser", identity: oid, tenant: tid };
  }
  return descriptor(checked(principal, descriptor(principal)));
}
