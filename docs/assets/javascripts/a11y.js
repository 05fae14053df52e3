/* Two fixes to the markup Material's script adds to a page; our own code, as Material has no
 * option for either.
 * 1. Keyboard access to wide tables: Material wraps every table in a horizontally scrolling
 *    .md-typeset__scrollwrap, which a keyboard user cannot scroll unless it can take focus
 *    (WCAG 2.1.1; axe: scrollable-region-focusable). Each wrapper that actually scrolls becomes
 *    a focusable, named region.
 * 2. The copy button of each code block sits in a <nav>: a page with ten code blocks announces
 *    ten unnamed navigation landmarks (axe: landmark-unique). It is no navigation: role="none"
 *    drops the landmark (a <nav> may not be a toolbar); the buttons keep their own names. */
(function () {
  "use strict";

  var EN = document.documentElement.lang === "en";
  var LABEL = EN ? "Table (scrolls sideways)" : "Tabel (dapat digeser ke samping)";

  function label(wrap) {
    var caption = wrap.querySelector("caption");
    return caption ? caption.textContent.trim() : LABEL;
  }

  function update() {
    var bars = document.querySelectorAll(".md-code__nav:not([role])");
    for (var j = 0; j < bars.length; j++) {
      bars[j].setAttribute("role", "none");
    }
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", label(wrap));
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }

  var pending = null;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 100);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(function () { window.setTimeout(update, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", update);
  }
  window.addEventListener("resize", later);
})();
