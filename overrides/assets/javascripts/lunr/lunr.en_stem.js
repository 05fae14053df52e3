/*!
 * lunr.en_stem: lunr's English pipeline (trimmer, stop words, Porter stemmer) for Material for
 * MkDocs, keeping each word beside its stem. Copyright (c) Kontributor Panduan Back-End. MIT License.
 */
/*
 * Why this file exists: Material for MkDocs appends "*" to every query term and lunr skips the
 * search pipeline for such terms, so lunr's English stemmer (which rewrites "caching" to "cach"
 * in the index) makes an English search worse: "caching*" finds nothing. Material therefore
 * drops the stemmer from its English pipeline, and "caching" no longer finds "cache" or "cached".
 * This plugin keeps lunr's own English stemmer and stop words, but indexes each word and its stem
 * and extends each query term with its stem, through lunr.keepStem (lunr.keepstem.js).
 *
 * Material loads lunr/min/lunr.<lang>.min.js for every search language except "en", so the
 * handbook's English index says lang: ["en_stem"] (scripts/hooks.py, SEARCH_CONFIG); the page
 * itself stays lang="en". Tests: tests/search/ (npm test). scripts/stemmer_build.mjs minifies
 * lunr.keepstem.js + this file into min/lunr.en_stem.min.js.
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
    if (typeof lunr.keepStem !== 'function') {
      throw new Error('lunr.en_stem needs lunr.keepstem.js, loaded before it.')
    }

    var cache = Object.create(null)
    /* lunr's Porter stemmer on one lower-case word. */
    function stem (word) {
      if (!(word in cache)) cache[word] = lunr.stemmer(new lunr.Token(word, {})).toString()
      return cache[word]
    }
    /* lunr's English stop words (lunr.stopWordFilter drops a token by returning undefined). */
    function isStopWord (word) {
      return lunr.stopWordFilter(new lunr.Token(word, {})) === undefined
    }

    lunr.en_stem = function () {
      this.pipeline.reset()
      this.pipeline.add(lunr.en_stem.trimmer, lunr.en_stem.stopWordFilter, lunr.en_stem.stemmer)
      if (this.searchPipeline) {
        this.searchPipeline.reset()
        this.searchPipeline.add(lunr.en_stem.stemmer)
      }
    }
    /* Material removes the pipeline functions its config leaves out by these names. */
    lunr.en_stem.trimmer = lunr.trimmer
    lunr.en_stem.stopWordFilter = lunr.stopWordFilter
    lunr.en_stem.stemmer = lunr.keepStem(stem, isStopWord)
    lunr.Pipeline.registerFunction(lunr.en_stem.stemmer, 'stemmer-en_stem')
    lunr.en_stem.stem = stem
    lunr.en_stem.isStopWord = isStopWord
  }
}))
