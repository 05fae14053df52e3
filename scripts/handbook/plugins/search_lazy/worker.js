/*!
 * handbook-search.js: Material for MkDocs' search worker, loaded on demand, with results that
 * show the section holding the answer. Copyright (c) Kontributor Panduan Back-End. MIT License.
 * Written by handbook/search-lazy (scripts/handbook/plugins/search_lazy/worker.js).
 */
/*
 * Material starts its worker when a page loads, but sends it the index (setup) only when the
 * reader opens search (handbook/search-lazy). This script is that worker: it fetches Material's
 * own worker with the first message, so a reader who never searches never downloads it, and
 * changes nothing in how it searches. It then reorders each result:
 *
 * Material groups the matching documents (the page, and each of its sections) by page, shows the
 * group's first document expanded and folds the sections that score lower under "N more on this
 * page". The page's own document (its title and opening text) often scores highest through its
 * title while it lacks a word of the query, which Material then shows struck through as
 * "Missing"; the section that holds every word stays folded. Here, in each group, the document
 * that holds more of the query's words comes first (then the one whose heading holds more of
 * them, a section before the page's opening, then by score); after a section, up to SHOWN - 1
 * more sections that hold every word are shown expanded; and the groups are ordered by their
 * first document: more of the words first, then by score raised by the heading's share. So the
 * first document shown never lacks a word that another document of its page holds. Material's
 * "terms" of each document agree with the stemmer (lunr.keepstem.js marks a word found
 * through its root as found). Measured on tests/search/queries.yml: see the note of issue 19.
 *
 * Runs as a Web Worker over HTTP, and inside the iframe of the iframe-worker shim from file://,
 * whose importScripts returns a promise; Material's worker awaits importScripts the same way.
 */
(function () {
  'use strict'
  var MATERIAL = '__MATERIAL_WORKER__' // beside this file
  // Its address: relative to this script's (in the shim's iframe, relative addresses would
  // resolve against the page's).
  var here = typeof document !== 'undefined' && document.currentScript
    ? document.currentScript.src
    : self.location && self.location.href
  if (here) MATERIAL = new URL(MATERIAL, here).href
  var SHOWN = __SHOWN_SECTIONS__
  var TITLE_POWER = 2
  var RESULT = 3 // SearchMessageType.RESULT
  var scope = self
  var send = scope.postMessage
  var listen = scope.addEventListener
  var handler = null
  var loading = null

  function coverage (item) {
    var keys = Object.keys(item.terms || {})
    if (!keys.length) return item.score > 0 ? 1 : 0
    var found = 0
    for (var i = 0; i < keys.length; i++) if (item.terms[keys[i]]) found++
    return found / keys.length
  }

  /* The stem of a word, by the language's keepStem function (lunr.keepstem.js), once Material's
   * worker has loaded the language's plugin. */
  function stemOf (word) {
    var lunr = scope.lunr
    var plugin = lunr && (lunr.id || lunr.en_stem)
    var stem = plugin && plugin.stemmer && plugin.stemmer.stem
    return stem ? stem(word) : word
  }

  /* The share of the query's words that the heading holds (in any form): Material marks them. */
  function titleCoverage (item) {
    var keys = Object.keys(item.terms || {})
    if (!keys.length || !item.title) return 0
    var words = []
    var marked = item.title.match(/<mark[^>]*>[^<]*<\/mark>/g) || []
    for (var m = 0; m < marked.length; m++) {
      var text = marked[m].replace(/<[^>]*>/g, '').toLowerCase()
      words = words.concat(text.split(/[^\p{L}\p{N}]+/u).filter(Boolean))
    }
    var found = 0
    for (var k = 0; k < keys.length; k++) {
      var term = keys[k]
      var root = stemOf(term)
      if (words.some(function (w) { return w.indexOf(term) === 0 || stemOf(w) === root })) found++
    }
    return found / keys.length
  }

  /* Among documents that hold as many of the query's words, Material's score (which carries
   * the page's search boost), raised when the heading holds them too. */
  function rank (entry) {
    return entry.item.score * Math.pow(1 + entry.title, TITLE_POWER)
  }

  function isPage (item) {
    return item.location.indexOf('#') < 0
  }

  /* One page's documents, best first, with the scores Material's template reads to decide what
   * is shown: a section is shown when its score is at least the first document's. */
  function regroup (group) {
    var ranked = group.map(function (item) {
      return { item: item, coverage: coverage(item), title: titleCoverage(item) }
    })
    // Within a page: the document holding more of the words, then the heading holding more of
    // them, a section before the page's opening on a tie (it is more precise), then the score.
    ranked.sort(function (a, b) {
      return (b.coverage - a.coverage) || (b.title - a.title) ||
        (isPage(a.item) - isPage(b.item)) || (b.item.score - a.item.score)
    })
    var first = ranked[0]
    var top = first.item.score
    // The page first: its title and opening text are the answer, its sections stay folded.
    var shown = isPage(first.item) ? SHOWN : 1
    var items = ranked.map(function (entry, n) {
      if (n === 0) return entry.item
      var show = !isPage(entry.item) && entry.coverage === 1 && first.coverage === 1 &&
        shown < SHOWN
      if (show) shown++
      var score = show ? Math.max(entry.item.score, top) : Math.min(entry.item.score, top * 0.999)
      return Object.assign({}, entry.item, { score: score })
    })
    return { items: items, coverage: first.coverage, rank: rank(first) }
  }

  function improve (message) {
    if (!message || message.type !== RESULT || !message.data || !message.data.items) {
      return message
    }
    var groups = message.data.items.map(regroup)
    // Pages: the one whose best document holds more of the words first, then by rank (a
    // product of Material's score, the page's search boost and the heading's share).
    groups.sort(function (a, b) { return (b.coverage - a.coverage) || (b.rank - a.rank) })
    var data = Object.assign({}, message.data, {
      items: groups.map(function (g) { return g.items })
    })
    return { type: message.type, data: data }
  }

  function load () {
    if (!loading) {
      // Material's worker registers its message handler and answers with postMessage, both
      // globals: take the handler, and read each answer on its way out.
      scope.addEventListener = function (type, fn, options) {
        if (type === 'message' && !handler) handler = fn
        else listen.call(scope, type, fn, options)
      }
      scope.postMessage = function (message) { send.call(scope, improve(message)) }
      loading = Promise.resolve(importScripts(MATERIAL)).then(function () {
        scope.addEventListener = listen
        if (!handler) throw new Error('handbook-search: no message handler in ' + MATERIAL)
      })
    }
    return loading
  }

  listen.call(scope, 'message', function (event) {
    load().then(function () { return handler(event) })
  })
  scope.handbookSearch = { improve: improve } // for the tests
})()
