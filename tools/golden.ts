// `npm run golden -- [--weights public/weights] [--demo public/demo]`: writes golden.json beside the
// weights (see tools/lib/golden.ts); run it whenever new weights are shipped.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/model/backend';
import { loadEncoders } from '../src/model/load';
import { computeGolden, GOLDEN_FILE } from './lib/golden';
import { fileWeightSource } from './lib/weights-fs';

const { values: args } = parseArgs({ options: { weights: { type: 'string', default: 'public/weights' }, demo: { type: 'string', default: 'public/demo' } } });

async function main(): Promise<void> {
  await initBackend('wasm');
  const enc = await loadEncoders(fileWeightSource(args.weights!));
  const g = await computeGolden(enc, args.demo!);
  enc.dispose();
  // 7 decimals: far below the 1e-3 tolerance, and a small file.
  const json = JSON.stringify(g, (_k, v) => (typeof v === 'number' ? Math.round(v * 1e7) / 1e7 : v));
  await writeFile(join(args.weights!, GOLDEN_FILE), json);
  process.stdout.write(`wrote ${join(args.weights!, GOLDEN_FILE)}: ${g.items.map((i) => i.id).join(', ')} and ${g.texts.length} texts (weights ${g.version})\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
