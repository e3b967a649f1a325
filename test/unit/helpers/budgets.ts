/**
 * The budget of a test that feeds a parser hostile input (huge, deep, repeated or self-referring):
 * what it shows is that the parser ends, not how fast. The slowest of them (50 000 netplan routes)
 * took 6.6 s beside a CPU hog on the test bed's 2-core machine; a hang still fails at 30 s.
 */
export const HOSTILE_INPUT_BUDGET = 30_000;
