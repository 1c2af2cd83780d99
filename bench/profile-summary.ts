import fs from 'node:fs';

/**
 * Summarises a V8 CPU profile of the service (`npm run bench -- --cpu-prof DIR`): where the
 * time went by module (self time: a package of node_modules, a file of the project, V8's GC),
 * the hottest functions by self time, and the project's functions by total time (with what
 * they call), which is what tells the pipeline's phases apart.
 *
 *   node dist/bench/profile-summary.js DIR/service-mysql-1000000.cpuprofile [--top 25]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A package of node_modules, a file of the project, node's own code, or a V8 pseudo-frame. */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/((?:src|plugins)\/.+)\.js$/.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

/** The file, inside its package when it comes from node_modules. */
function fileOf(url: string, functionName: string): string {
  const inPackage = /node_modules\/(.+)$/.exec(url);
  return inPackage ? inPackage[1] : moduleOf(url, functionName);
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${fileOf(url, functionName)}:${lineNumber + 1}`;
};

const ms = (micros: number) => `${(micros / 1000).toFixed(0).padStart(8)} ms`;
const pct = (part: number, total: number) => `${((100 * part) / total).toFixed(1).padStart(5)} %`;

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: node dist/bench/profile-summary.js PROFILE.cpuprofile [--top N]');
  const top = rest[0] === '--top' ? Number(rest[1]) : 25;
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const total = new Map<string, number>();
  let sampled = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    sampled += delta;
    if (node.callFrame.functionName === '(idle)') idle += delta;
    self.set(label(node), (self.get(label(node)) ?? 0) + delta);
    const module = moduleOf(node.callFrame.url, node.callFrame.functionName);
    modules.set(module, (modules.get(module) ?? 0) + delta);
    // Total time: each function on the sample's stack once, however often it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (!/\/dist\/(src|plugins)\//.test(frame.callFrame.url)) continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + delta);
    }
  });

  const busy = sampled - idle;
  const print = (title: string, entries: Map<string, number>, count: number) => {
    console.log(`\n${title}`);
    for (const [key, value] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      console.log(`${ms(value)} ${pct(value, busy)}  ${key}`);
    }
  };
  console.log(`${file}: ${(sampled / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)`);
  modules.delete('(idle)');
  print('Self time by module', modules, top);
  self.delete(`(idle) (idle):0`);
  print('Hottest functions (self time)', self, top);
  print("Project functions (total time, callees included)", total, top);
}

main();
