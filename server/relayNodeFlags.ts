/**
 * The V8 flags the relay runs with: package.json's `start` and `dev` scripts pass them to node
 * (relayNodeFlags.test.ts keeps them the same) and the bench starts its relay with them. Not in
 * bin/kanso.js's first line: `env -S` is missing on some systems (busybox), and the CLI's other
 * commands do not need them.
 *
 * `--min-semi-space-size=16`: V8 shrinks the young generation of an idle process to 1 MB, and
 * the first seconds of the next burst of edits then paid ~8× the scavenges (25 instead of 3 in
 * 3.5 s at 1000 edits/s after 25 s idle, B9's load) until it grew back; 16 MB is V8's usual
 * size under load, now also its least. Pages are committed as used: an idle relay keeps little.
 */
export const RELAY_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=16']
