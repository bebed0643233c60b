/**
 * Runs before any test file (jest setupFiles): n8n-core writes an instance key under
 * N8N_USER_FOLDER when it is first required, so point it at a throwaway folder, and keep it quiet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-test-'));
process.env.N8N_LOG_LEVEL ??= 'silent';
