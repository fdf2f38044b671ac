// Loaded first, as a classic script: a policy that blocks the package does so while the entry
// module is evaluated, before any module script of the page could listen. Kept in
// sessionStorage, which the tab's navigations and its same-origin frames (the silent sign-in's
// page) share, so no violation is lost with the page it happened on.
window.addEventListener("securitypolicyviolation", (e) => {
  const seen = JSON.parse(sessionStorage.getItem("csp:violations") ?? "[]");
  seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, page: location.pathname });
  sessionStorage.setItem("csp:violations", JSON.stringify(seen));
});
