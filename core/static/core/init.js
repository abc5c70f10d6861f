// Runs before the page paints: tells the GOV.UK Frontend styles that JavaScript
// (and ES modules) are available. Kept in a file because the Content-Security-Policy
// forbids inline scripts.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

// If GOV.UK Frontend's script never starts (it failed to load, or was blocked),
// the styles below would keep the phone menu folded behind a button that does
// nothing: once the page has loaded, unfold it, so its places can be reached.
window.addEventListener("load", function () {
  var navigation = document.querySelector(".govuk-service-navigation");
  if (navigation && !navigation.hasAttribute("data-govuk-service-navigation-init")) {
    navigation.classList.add("ehc-service-navigation--unfolded");
  }
});
