// Batch runner for smlint's differential test (test-only; see ../README.md).
//
// Reads cases as JSON lines on stdin, one {"id": N, "simulation": {...}} per
// line, where simulation is an @cloud-copilot/iam-simulate Simulation object,
// and writes one JSON line per case on stdout:
//   {"id": N, "result": "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied",
//    "ignoredContextKeys": [...]}
// or {"id": N, "error": "..."} when the simulator refuses the input.
//
// The simulator is loaded from DIFFTEST_NODE_DIR (the folder install.sh
// filled), so nothing is installed next to this script.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const dir = process.env.DIFFTEST_NODE_DIR;
if (!dir) {
  process.stderr.write('run.mjs: DIFFTEST_NODE_DIR is not set\n');
  process.exit(2);
}
const require = createRequire(join(dir, 'package.json'));
const { runSimulation } = require('@cloud-copilot/iam-simulate');

const out = [];
const flush = () => {
  if (out.length > 0) {
    process.stdout.write(out.join(''));
    out.length = 0;
  }
};

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (line.trim() === '') continue;
  let id = null;
  let rec;
  try {
    const c = JSON.parse(line);
    id = c.id;
    const r = await runSimulation(c.simulation, { simulationMode: 'Strict' });
    if (r.resultType === 'error') {
      rec = { id, error: JSON.stringify(r.errors) };
    } else if (r.resultType === 'single') {
      rec = { id, result: r.overallResult, ignoredContextKeys: r.result?.ignoredContextKeys ?? [] };
    } else {
      rec = { id, error: 'unexpected resultType ' + r.resultType };
    }
  } catch (e) {
    rec = { id, error: 'exception: ' + (e && e.stack ? e.stack.split('\n')[0] : String(e)) };
  }
  out.push(JSON.stringify(rec) + '\n');
  if (out.length >= 256) flush();
}
flush();
