/**
 * What `npm run check:zendesk` finds, and how it is shown: a table (check | holds? | detail) that
 * reads in a terminal and pastes into a GitHub issue as Markdown, or the same as JSON. Nothing in a
 * report is a token, a websocket_url (it embeds the session id) or customer data: every text passes
 * through `redact`, and events are described by their field names and types only.
 */
import type { SchemaFacts } from './schema-facts';

/**
 * yes: the check holds. MISMATCH: the server disagrees with this package (a document it refuses, a
 * query it answers with an error): a finding for the maintainers. no: a fact that is not a mismatch
 * (e.g. introspection refused). skipped: could not be checked (says why).
 */
export type Holds = 'yes' | 'MISMATCH' | 'no' | 'skipped';

export interface Finding {
	check: string;
	holds: Holds;
	detail: string;
}

export interface SubscriptionEvents {
	subscription: string;
	/** Which document ran: the full one, or the confirmed fields only (after the full one was refused). */
	document: 'full' | 'confirmed' | 'none';
	events: number;
	errors: number;
	/** The first event's field names and types, e.g. `{ id: string, from: { __typename: string } }`. */
	firstEventFields: string | null;
}

export interface CheckReport {
	tool: 'check:zendesk';
	package: string;
	node: string;
	/** The HTTP endpoint, without any user:password part. */
	endpoint: string;
	ranAt: string;
	/** False when the check stopped early (token refused, session ended by the server, interrupted). */
	completed: boolean;
	summary: { checks: number; yes: number; mismatches: number; no: number; skipped: number };
	findings: Finding[];
	events: SubscriptionEvents[];
	schema: SchemaFacts | null;
}

/** Replaces the token and any WebSocket URL (they embed the session id) in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length >= 4) out = out.split(secret).join('[token]');
	}
	return out.replace(/wss?:\/\/[^\s"'`,;)]+/gi, '[websocket_url]');
}

export function summarize(findings: readonly Finding[]): CheckReport['summary'] {
	const count = (holds: Holds) => findings.filter((f) => f.holds === holds).length;
	return {
		checks: findings.length,
		yes: count('yes'),
		mismatches: count('MISMATCH'),
		no: count('no'),
		skipped: count('skipped'),
	};
}

/** The report as Markdown: a heading line, the table, the events, the schema facts, a summary. */
export function renderText(report: CheckReport): string {
	const lines: string[] = [];
	lines.push(
		`check:zendesk, ${report.package}, Node ${report.node}, ${report.endpoint}, ${report.ranAt}`,
	);
	lines.push('');
	lines.push(...renderTable(report.findings));
	if (report.events.length > 0) {
		lines.push('');
		lines.push('Subscription events (field names and types only, never their content):');
		for (const e of report.events) {
			const which = e.document === 'confirmed' ? ' (confirmed fields only)' : '';
			const errors = e.errors > 0 ? `, ${e.errors} error frame(s)` : '';
			lines.push(
				`- ${e.subscription}${which}: ${e.events} event(s)${errors}${e.firstEventFields ? `; first: ${e.firstEventFields}` : ''}`,
			);
		}
	}
	if (report.schema) {
		lines.push('');
		lines.push(...renderSchemaFacts(report.schema));
	}
	lines.push('');
	const s = report.summary;
	const verdict = report.completed
		? s.mismatches > 0
			? `${s.mismatches} MISMATCH`
			: 'no mismatch'
		: 'the check did not complete';
	lines.push(
		`${s.checks} checks: ${s.yes} hold, ${s.mismatches} MISMATCH, ${s.no} no, ${s.skipped} skipped (${verdict}).`,
	);
	return `${lines.join('\n')}\n`;
}

function renderTable(findings: readonly Finding[]): string[] {
	const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
	const rows = findings.map((f) => [cell(f.check), f.holds, cell(f.detail)]);
	const w0 = Math.max('check'.length, ...rows.map((r) => r[0].length));
	const w1 = Math.max('holds?'.length, ...rows.map((r) => r[1].length));
	const row = (a: string, b: string, c: string) => `| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c} |`;
	return [
		row('check', 'holds?', 'detail'),
		`| ${'-'.repeat(w0)} | ${'-'.repeat(w1)} | --- |`,
		...rows.map((r) => row(r[0], r[1], r[2])),
	];
}

function renderSchemaFacts(facts: SchemaFacts): string[] {
	const lines = [
		`From the server's schema (introspection over ${facts.source}), what the references do not show:`,
	];
	for (const op of facts.operations) {
		lines.push(`  ${op.root}.${op.signature ?? `${op.field}: (not in the schema)`}`);
	}
	const names = Object.keys(facts.types).sort();
	if (names.length > 0) {
		lines.push('  Types they use:');
		for (const name of names) {
			const t = facts.types[name];
			if (t.kind === 'enum') lines.push(`    enum ${name}: ${(t.values ?? []).join(' | ')}`);
			else if (t.kind === 'union')
				lines.push(`    union ${name} = ${(t.possibleTypes ?? []).join(' | ')}`);
			else if (t.kind === 'scalar') lines.push(`    scalar ${name}`);
			else
				lines.push(
					`    ${t.kind === 'object' ? 'type' : t.kind} ${name} { ${(t.fields ?? []).join(', ')} }`,
				);
		}
	}
	lines.push('  Root fields:');
	for (const [root, fields] of Object.entries(facts.rootFields))
		lines.push(`    ${root}: ${fields.length > 0 ? fields.join(', ') : '(none)'}`);
	return lines;
}
