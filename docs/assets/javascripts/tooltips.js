/* Tooltips for glossary terms and abbreviations, on hover and on keyboard focus.
 *
 * The build links the first use of each glossary term on a page to its glossary entry, with the
 * definition as the link's title, and makes the first use of each abbreviation focusable
 * (scripts/glossary.py). This script shows that title as a tooltip when the pointer rests on the
 * term or the term takes the focus, and hides it on Escape (WCAG 1.4.13), when the focus leaves,
 * or shortly after the pointer leaves both the term and the tooltip. Without JavaScript the
 * browser still shows the title on hover.
 *
 * Our own code, not Material's `content.tooltips`: that feature mounts a reactive component for
 * every element with a title when the page loads, and on our longest pages (60+ term links,
 * 190 abbreviations on the glossary) it added 200-300 ms of main-thread blocking at a 4x CPU
 * slowdown (measured with Lighthouse's throttling; see the performance note of issue 9). This
 * script adds four listeners to the document and builds one tooltip only when a reader points at
 * or focuses a term. It reuses Material's tooltip styles (.md-tooltip2), so it looks the same.
 */
(function () {
  "use strict";

  var HOSTS = ".md-content a.glossary-term, .md-content abbr";
  var ID = "handbook-tooltip";
  var tip = null;      // the tooltip element on screen, if any
  var host = null;     // the term it belongs to
  var title = null;    // the host's title, taken off while the tooltip shows (no double tooltip)
  var timer = null;

  function hostOf(node) {
    var el = node && node.closest ? node.closest(HOSTS) : null;
    return el && (el === host || el.hasAttribute("title")) ? el : null;
  }

  function cancelHide() {
    window.clearTimeout(timer);
    timer = null;
  }

  function hide() {
    cancelHide();
    if (tip) {
      tip.remove();
      tip = null;
    }
    if (host) {
      host.removeAttribute("aria-describedby");
      if (title !== null) host.setAttribute("title", title);
      host = null;
      title = null;
    }
  }

  function hideLater() {
    cancelHide();
    timer = window.setTimeout(hide, 250);
  }

  function show(el) {
    if (el === host) {
      cancelHide();
      return;
    }
    hide();
    host = el;
    title = el.getAttribute("title");
    el.removeAttribute("title");

    tip = document.createElement("div");
    tip.className = "md-tooltip2 md-tooltip2--bottom";
    tip.id = ID;
    tip.setAttribute("role", "tooltip");
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = title;
    tip.appendChild(inner);
    document.body.appendChild(tip);

    // Below the term, centred on it, in page coordinates (as Material positions its tooltips).
    var box = el.getBoundingClientRect();
    var style = tip.style;
    style.setProperty("--md-tooltip-host-x", box.left + window.scrollX + "px");
    style.setProperty("--md-tooltip-host-y", box.top + window.scrollY + "px");
    style.setProperty("--md-tooltip-x", box.width / 2 + "px");
    style.setProperty("--md-tooltip-y", 8 + box.height + "px");
    style.setProperty("--md-tooltip-tail", "0px");
    style.setProperty("--md-tooltip-width", inner.getBoundingClientRect().width + "px");
    el.setAttribute("aria-describedby", ID);

    var shown = tip;
    window.requestAnimationFrame(function () {
      if (tip === shown) shown.classList.add("md-tooltip2--active");
    });
  }

  document.addEventListener("mouseover", function (event) {
    var el = hostOf(event.target);
    if (el) {
      show(el);
    } else if (tip && tip.contains(event.target)) {
      cancelHide(); // the pointer moved onto the tooltip: keep it (WCAG 1.4.13, hoverable)
    }
  });

  function inside(node) {
    return !!node && (host.contains(node) || (tip !== null && tip.contains(node)));
  }

  document.addEventListener("mouseout", function (event) {
    if (!host) return;
    if (inside(event.target) && !inside(event.relatedTarget) && document.activeElement !== host) {
      hideLater();
    }
  });

  document.addEventListener("focusin", function (event) {
    var el = hostOf(event.target);
    if (el) show(el);
    else if (tip) hide();
  });

  document.addEventListener("focusout", function (event) {
    if (host && event.target === host) hide();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && tip) {
      // Dismissed, not moved: the focus stays on the term (its title comes back when the
      // pointer or the focus leaves it).
      tip.remove();
      tip = null;
      host.removeAttribute("aria-describedby");
    }
  });

  window.addEventListener("resize", function () {
    if (tip) hide();
  });
})();
