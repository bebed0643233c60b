/**
 * Sums a V8 .cpuprofile (node --cpu-prof, e.g. n8n's process through BENCH_N8N_NODE_OPTIONS) by
 * function: self and inclusive time of the whole profile, or, given function names, the time
 * spent under each of them and what it went to (inclusive, by function and file:line).
 *
 *   node bench/lib/cpuprofile-summary.cjs CPU.….cpuprofile
 *   node bench/lib/cpuprofile-summary.cjs CPU.….cpuprofile processRunExecutionData,initializeExecution
 */
const { readFileSync } = require('node:fs');

const [file, focusArg = ''] = process.argv.slice(2);
if (!file) {
	console.error('usage: cpuprofile-summary.cjs <file.cpuprofile> [functionName,…]');
	process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const focus = focusArg.split(',').filter(Boolean);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) =>
	`${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*node_modules\//, '')}:${n.callFrame.lineNumber + 1}`;
const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);

const self = new Map();
const inclusive = new Map();
const under = new Map(focus.map((f) => [f, new Map()]));
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
	const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
	total += ms;
	const stack = [];
	for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) stack.push(byId.get(id));
	add(self, label(stack[0]), ms);
	const seen = new Set();
	for (const n of stack) {
		const key = label(n);
		if (!seen.has(key)) add(inclusive, key, ms);
		seen.add(key);
	}
	for (const f of focus) {
		const at = stack.findIndex((n) => n.callFrame.functionName === f);
		if (at < 0) continue;
		const map = under.get(f);
		add(map, '(all)', ms);
		const seenUnder = new Set();
		for (const n of stack.slice(0, at)) {
			const key = label(n);
			if (!seenUnder.has(key)) add(map, key, ms);
			seenUnder.add(key);
		}
	}
}
const top = (map, count) =>
	[...map.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, count)
		.map(([key, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${key}`)
		.join('\n');
console.log(`${total.toFixed(0)} ms sampled`);
if (focus.length === 0) {
	console.log(`\nself time\n${top(self, 25)}`);
	console.log(`\ninclusive time\n${top(inclusive, 40)}`);
}
for (const f of focus) console.log(`\nunder ${f}\n${top(under.get(f), 40)}`);
