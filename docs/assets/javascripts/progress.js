/* Learning progress without an account: checklist ticks are kept in this browser's
 * localStorage (also when the book is read from file://), never sent anywhere.
 *
 * Our own code because no library does this for Material's task lists. Storage format:
 *   localStorage["panduan-backend.progress.v1"] =
 *     {"version": 1, "pages": {"duties/server-side-logic": [0, 3, 4], ...}}
 * where each list holds the positions of the ticked items of that page's task lists. Twins have
 * the same checklist items (the translation check enforces it), so progress is shared by both
 * languages. The "My progress" page (progress.md) shows a summary, export, import and reset.
 */
(function () {
  "use strict";

  var KEY = "panduan-backend.progress.v1";
  var TRACKED = /^(duties|skills)\/[a-z0-9-]+$|^learning-path$/;

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (data && data.version === 1 && typeof data.pages === "object") return data;
    } catch (e) {
      /* unreadable or blocked storage: start empty */
    }
    return { version: 1, pages: {} };
  }

  function save(data) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(data));
      return true;
    } catch (e) {
      return false;
    }
  }

  /* The page's path inside its language root, e.g. "duties/api-development". */
  function pageSlug() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    var root = new URL(base.replace(/\/?$/, "/"), window.location.href).href;
    var here = window.location.href.split("#")[0].split("?")[0];
    if (here.indexOf(root) !== 0) return null;
    return here.slice(root.length).replace(/\.html$/, "").replace(/(^|\/)index$/, "$1index");
  }

  /* Validate imported or stored data: page slugs mapped to sorted lists of item positions. */
  function clean(data) {
    if (!data || typeof data !== "object" || typeof data.pages !== "object" || !data.pages) {
      throw new Error("not a progress file");
    }
    var pages = {};
    Object.keys(data.pages).forEach(function (slug) {
      if (!TRACKED.test(slug)) return;
      var items = data.pages[slug];
      if (!Array.isArray(items)) throw new Error("bad items for " + slug);
      pages[slug] = items
        .filter(function (n) { return Number.isInteger(n) && n >= 0 && n < 1000; })
        .sort(function (a, b) { return a - b; })
        .filter(function (n, i, all) { return i === 0 || all[i - 1] !== n; });
    });
    return { version: 1, pages: pages };
  }

  function trackChecklists(slug) {
    var boxes = document.querySelectorAll(".md-content .task-list-item > .task-list-control > input[type=checkbox]");
    if (!boxes.length) return;
    var data = load();
    var ticked = data.pages[slug] || [];
    Array.prototype.forEach.call(boxes, function (box, position) {
      var item = box.closest(".task-list-item");
      var text = item ? item.textContent.trim().replace(/\s+/g, " ") : "";
      box.disabled = false;
      box.checked = ticked.indexOf(position) !== -1;
      box.setAttribute("aria-label", text.slice(0, 200));
      box.addEventListener("change", function () {
        var current = load();
        var list = (current.pages[slug] || []).filter(function (n) { return n !== position; });
        if (box.checked) list.push(position);
        current.pages[slug] = list.sort(function (a, b) { return a - b; });
        save(current);
      });
    });
  }

  function renderSummary(root) {
    var pages = JSON.parse(document.getElementById("progress-pages").textContent);
    var data = load();
    var body = root.querySelector("tbody");
    body.textContent = "";
    var totalDone = 0;
    var total = 0;
    pages.forEach(function (page) {
      var done = (data.pages[page.slug] || []).filter(function (n) { return n < page.items; }).length;
      totalDone += done;
      total += page.items;
      var row = document.createElement("tr");
      var name = document.createElement("td");
      var link = document.createElement("a");
      link.href = page.href;
      link.textContent = page.title;
      name.appendChild(link);
      var count = document.createElement("td");
      count.textContent = done + " / " + page.items;
      var bar = document.createElement("td");
      var meter = document.createElement("progress");
      meter.max = page.items || 1;
      meter.value = done;
      meter.setAttribute("aria-label", page.title);
      bar.appendChild(meter);
      row.appendChild(name);
      row.appendChild(count);
      row.appendChild(bar);
      row.setAttribute("data-slug", page.slug);
      body.appendChild(row);
    });
    root.querySelector("[data-progress-total]").textContent = totalDone + " / " + total;
  }

  function setupProgressPage(root) {
    var status = root.querySelector("[data-progress-status]");
    function say(key) { status.textContent = root.getAttribute("data-msg-" + key) || key; }

    root.querySelector("[data-progress-export]").addEventListener("click", function () {
      var data = load();
      data.exported = new Date().toISOString();
      var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "panduan-backend-progress.json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      say("exported");
    });

    var input = root.querySelector("[data-progress-file]");
    root.querySelector("[data-progress-import]").addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      file.text().then(function (text) {
        save(clean(JSON.parse(text)));
        renderSummary(root);
        say("imported");
      }).catch(function () { say("invalid"); }).then(function () { input.value = ""; });
    });

    root.querySelector("[data-progress-reset]").addEventListener("click", function () {
      if (!window.confirm(root.getAttribute("data-msg-confirm"))) return;
      save({ version: 1, pages: {} });
      renderSummary(root);
      say("reset");
    });

    renderSummary(root);
  }

  function start() {
    var slug = pageSlug();
    if (slug && TRACKED.test(slug)) trackChecklists(slug);
    var summary = document.querySelector("[data-progress-summary]");
    if (summary) setupProgressPage(summary);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  /* Exposed for the tests only. */
  window.__panduanProgress = { key: KEY, clean: clean, pageSlug: pageSlug };
})();
