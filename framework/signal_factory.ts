/**
 * What boot.ts loads when serialized props hold a signal: the factory that turns them back into
 * signals.
 *
 * It also names the JSX runtime, which this lazy entry does not need: every entry that reaches
 * preact then reaches preact, its hooks and the JSX runtime together (boot.ts imports all three
 * too), so the bundler keeps them in one shared chunk instead of three. Each file is gzipped on its
 * own, so every extra chunk costs every page a few hundred bytes.
 */
import "preact/jsx-runtime";

export { signal } from "@preact/signals";
