// Generates the benchmark data set as CSV files (run in its own process so the benchmark's
// peak-RSS figure measures Segmata, not the generator).
import { generateDataset } from '../src/engine/demo/index.js';

const [dir, contacts, accounts, interactions, seed, now] = process.argv.slice(2);
if (!dir || !now) throw new Error('usage: generate.ts DIR CONTACTS ACCOUNTS INTERACTIONS SEED NOW');
const started = performance.now();
const result = await generateDataset({
  dir,
  contacts: Number(contacts),
  accounts: Number(accounts),
  interactions: Number(interactions),
  seed: Number(seed),
  now: new Date(now),
});
console.log(JSON.stringify({ ...result, seconds: (performance.now() - started) / 1000 }));
