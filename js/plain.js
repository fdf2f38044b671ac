// The JSON text of what an app passed, without what JSON cannot carry: functions, class instances
// (a router as navigationClient, an HTTP client, a window) and cycles are left out, so that an
// MSAL configuration holding them still reads; the library picks those up one by one.
export function plainJson(value) {
  const seen = new WeakSet();
  return JSON.stringify(value, function (key, member) {
    if (typeof member !== "object" || member === null) return member;
    const proto = Object.getPrototypeOf(member);
    const plain = proto === Object.prototype || proto === null || Array.isArray(member);
    if (seen.has(member) || (key !== "" && !plain)) return undefined;
    seen.add(member);
    return member;
  });
}
