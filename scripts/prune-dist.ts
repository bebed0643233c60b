/**
 * Runs after `n8n-node build`. Its static-file copy globs every .svg/.png and __schema__ JSON of
 * the repository, skipping only the top-level node_modules, so it also copies the README's
 * screenshots (docs/screenshots) and the thousands of icons of the pinned n8n that the demo and
 * the e2e install under e2e/runtime/node_modules into dist/, and `npm pack` (files: dist) would
 * publish them. None of these folders belong to the package n8n loads.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '..', 'dist');
for (const folder of [
	'e2e',
	'docs',
	'examples',
	'scripts',
	'simulator',
	'test',
	'tmp',
	'coverage',
]) {
	rmSync(join(DIST, folder), { recursive: true, force: true });
}
