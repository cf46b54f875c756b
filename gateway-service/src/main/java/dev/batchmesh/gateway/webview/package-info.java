/**
 * The live web view: a static page at /live/ that charts a key's windows from the public API, and
 * the charting library it loads from its webjar. The page itself needs no credentials; the API
 * calls it makes carry the key the user typed, like any other client's.
 */
package dev.batchmesh.gateway.webview;
