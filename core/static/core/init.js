// Runs before the page paints: tells the GOV.UK Frontend styles that JavaScript
// (and ES modules) are available. Kept in a file because the Content-Security-Policy
// forbids inline scripts.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
