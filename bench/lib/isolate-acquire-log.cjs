/**
 * A preload for n8n's process (NODE_OPTIONS=--require <this file>), used by
 * bench/n8n-execution-start.ts: logs every acquisition of an expression isolate by n8n 2.x
 * (@n8n/expression-runtime's ExpressionEvaluator.acquire), with how long it waited, how many warm
 * isolates the pool held, and who asked (the webhook phase of LiveWebhooks.executeWebhook or an
 * execution's WorkflowExecute.initializeExecution), plus how long each pool replenishment took.
 * One line each in ISOLATE_ACQUIRE_LOG: `<epoch ms> acquire <ms> pool=<n> phase=<who>` or
 * `<epoch ms> replenished <ms>`. Does nothing in a process without n8n's expression runtime.
 */
const fs = require('node:fs');
const path = require('node:path');

const file = process.env.ISOLATE_ACQUIRE_LOG;
const runtime = process.env.ISOLATE_RUNTIME_DIR;
if (file && runtime) {
	try {
		const base = path.join(runtime, 'node_modules', '@n8n', 'expression-runtime', 'dist', 'cjs');
		const { ExpressionEvaluator } = require(
			path.join(base, 'evaluator', 'expression-evaluator.js'),
		);
		const { IsolatePool } = require(path.join(base, 'pool', 'isolate-pool.js'));
		const out = fs.openSync(file, 'a');
		const log = (line) => fs.writeSync(out, `${Date.now()} ${line}\n`);
		const acquire = ExpressionEvaluator.prototype.acquire;
		ExpressionEvaluator.prototype.acquire = async function (caller) {
			const stack = new Error().stack || '';
			const phase = stack.includes('live-webhooks')
				? 'webhook'
				: stack.includes('initializeExecution')
					? 'execution'
					: 'other';
			const warm = this.pool && Array.isArray(this.pool.bridges) ? this.pool.bridges.length : -1;
			const start = performance.now();
			const result = await acquire.call(this, caller);
			log(`acquire ${(performance.now() - start).toFixed(1)} pool=${warm} phase=${phase}`);
			return result;
		};
		const replenish = IsolatePool.prototype.replenish;
		IsolatePool.prototype.replenish = function (attempt) {
			const warming = this.warming;
			const result = replenish.call(this, attempt);
			if (this.warming > warming) {
				const start = performance.now();
				const promise = [...this.replenishPromises].pop();
				if (promise)
					promise.then(() => log(`replenished ${(performance.now() - start).toFixed(1)}`));
			}
			return result;
		};
	} catch {
		// not n8n's main process
	}
}
