/*!
 * lunr.keepstem: stemming that keeps the typed word, for lunr 2.x under Material for MkDocs.
 * Copyright (c) Kontributor Panduan Back-End. MIT License.
 */
/*
 * Why this file exists: Material for MkDocs appends "*" to every query term, and lunr skips the
 * search pipeline for a term with a wildcard. A stemmer that only rewrites the indexed words
 * therefore makes search worse ("caching*" never meets the indexed stem "cach"), and no package
 * on npm handles that. This file gives each language plugin of the handbook (lunr.id.js,
 * lunr.en_stem.js) two things:
 * - lunr.keepStem(stem, isStopWord): a pipeline function that keeps every word and adds its
 *   stem at the same position ("pengelolaan" is indexed as "pengelolaan" and "kelola",
 *   "caching" as "caching" and "cach"), so prefix queries on the typed word still work;
 * - a hook on lunr.Index.prototype.query that, for an index built with such a function, adds the
 *   stem of every query term (see below).
 * scripts/stemmer_build.mjs puts this file in front of each plugin's minified file, the one file
 * Material's worker loads per language (lunr/min/lunr.<lang>.min.js). Tests: tests/search/.
 */
;(function (root, factory) {
  if (typeof define === 'function' && define.amd) {
    define(factory)
  } else if (typeof exports === 'object') {
    module.exports = factory()
  } else {
    factory()(root.lunr)
  }
}(this, function () {
  return function (lunr) {
    if (typeof lunr === 'undefined') {
      throw new Error('Lunr is not present. Please include / require Lunr before this script.')
    }
    if (lunr.keepStem) return

    /*
     * A fix of lunr 2.3.9 itself (lunr is no longer maintained, so there is no release to take):
     * TokenSet.Builder merges trie nodes whose toString() is equal, and lunr writes a node as its
     * edge labels followed by the child's id with nothing between them. A label that is a digit
     * then reads as part of an id ("1" + id 23 and "12" + ... look alike), so two different nodes
     * can be merged and the token set holds words the index does not. Material's prefix query
     * ("response*") expands to such a word and lunr throws ("Cannot read properties of undefined
     * (reading '_index')"): a search for "response" on the English site showed nothing once the
     * pages held tokens like "07t24:00". Ending each id with "," makes the key unambiguous
     * (a label is one character). Test: tests/search/lunr_index.test.mjs.
     */
    lunr.TokenSet.prototype.toString = function () {
      if (this._str) return this._str
      var str = this.final ? '1' : '0'
      var labels = Object.keys(this.edges).sort()
      for (var i = 0; i < labels.length; i++) {
        str = str + labels[i] + this.edges[labels[i]].id + ','
      }
      return str
    }

    /*
     * A pipeline function that keeps the token and adds its stem at the same position (same
     * metadata). stem(word) returns the stem, or the word itself; isStopWord(word) says whether
     * the word is never indexed (optional).
     */
    lunr.keepStem = function (stem, isStopWord) {
      var fn = function (token) {
        var word = token.toString()
        var root = stem(word)
        if (root === word) return token
        return [token, token.clone(function () { return root })]
      }
      fn.stem = stem
      fn.isStopWord = isStopWord || function () { return false }
      return fn
    }

    function keepStemmerOf (index) {
      var stack = index.pipeline && index.pipeline._stack
      if (!stack) return null
      for (var i = 0; i < stack.length; i++) {
        if (stack[i].stem && stack[i].isStopWord) return stack[i]
      }
      return null
    }

    /*
     * For an index built with a lunr.keepStem function, every query clause whose word has a
     * different root (stem) gets that root too, whatever wildcard the clause has:
     * - optional and prohibited clauses: a second clause with the exact root, same fields and
     *   boost (a document with the typed form matches both and ranks first);
     * - required clauses: the root replaces the term, because lunr drops every match of a
     *   required clause as soon as one of its terms is missing from the index. The root is
     *   indexed wherever any form of the word is, so nothing is lost.
     * Leading or inner wildcards and fuzzy terms are left alone.
     * Material for MkDocs then marks query words that no matched term starts with as missing
     * ("Tidak ada: ..."); a document found through the root, or a stop word (never indexed),
     * would be marked so wrongly, so such words get an empty entry in the match metadata.
     */
    /*
     * A word and its root share one position, so a match on both would list it twice, and
     * Material's highlighter wraps a position once per listing ("<mark><mark>Penge</mark>...").
     * Keeps each position once per field (under the first term), copying instead of changing
     * the arrays, which may belong to the index itself.
     */
    function dedupePositions (metadata, terms) {
      var seen = Object.create(null)
      for (var t = 0; t < terms.length; t++) {
        var fields = metadata[terms[t]]
        for (var field in fields) {
          var positions = fields[field] && fields[field].position
          if (!positions) continue
          var known = seen[field] || (seen[field] = Object.create(null))
          var kept = positions.filter(function (p) {
            var key = String(p)
            return known[key] ? false : (known[key] = true)
          })
          if (kept.length === positions.length) continue
          var copy = {}
          for (var key in fields[field]) copy[key] = fields[field][key]
          copy.position = kept
          fields[field] = copy
        }
      }
    }

    var query = lunr.Index.prototype.query
    if (!query.keepStem) {
      lunr.Index.prototype.query = function (fn) {
        var stemmer = keepStemmerOf(this)
        if (!stemmer) return query.call(this, fn)
        var stem = stemmer.stem

        var words = []
        var results = query.call(this, function (q) {
          fn.call(q, q)
          var clauses = q.clauses.slice()
          for (var i = 0; i < clauses.length; i++) {
            var clause = clauses[i]
            var m = /^([^*]+)\*?$/.exec(clause.term)
            if (!m || clause.editDistance) continue
            var word = m[1]
            if (stemmer.isStopWord(word)) { words.push([word, null]); continue }
            var root = stem(word)
            if (root === word) continue
            words.push([word, root])
            clause.usePipeline = false
            if (clause.presence === lunr.Query.presence.REQUIRED) {
              clause.term = root
            } else {
              q.clauses.push({
                term: root,
                fields: clause.fields.slice(),
                boost: clause.boost,
                usePipeline: false,
                wildcard: lunr.Query.wildcard.NONE,
                presence: clause.presence
              })
            }
          }
        })

        for (var r = 0; r < results.length; r++) {
          var metadata = results[r].matchData.metadata
          var terms = Object.keys(metadata)
          for (var w = 0; w < words.length; w++) {
            var word = words[w][0], root = words[w][1]
            if (root !== null && !(root in metadata)) continue
            if (!terms.some(function (term) { return term.indexOf(word) === 0 })) {
              metadata[word] = {}
            }
          }
          dedupePositions(metadata, terms)
        }
        return results
      }
      lunr.Index.prototype.query.keepStem = true
    }
  }
}))
