import { parse, validate } from 'graphql';

import { buildConversationsSchema, type SchemaVariant } from '../../simulator/conversations/schema';
import {
	operationCatalog,
	START_DOCUMENT,
	STOP_SESSION_DOCUMENT,
	type AnyOperation,
} from '../../src/conversations';
import { parseDocument } from './document-args';

/**
 * Every document the client can send holds whatever the unseen argument types turn out to be
 * (conversations-api-schema.md shows the types of only a few mutations). Each is validated with
 * graphql-js against the simulator's schema and against every reading of the unseen parts.
 */

const HOSTILE =
	'a "quote", a \\ backslash, "){ success } } mutation Evil { stopAgentSession { success } } #, a\nnewline, 🎉 and a lone \ud800';
const RELAY = 'W1sibG9jYWxJZCIsIjEifSxbInR5cGUiLCJDSEFOTkVMIl1d';

const VARIANTS: Array<[string, SchemaVariant]> = [
	['the simulator default', {}],
	['every unseen ID argument as String', { unseenIdArgs: 'String' }],
	['every unseen String argument as ID', { unseenStringArgs: 'ID' }],
	['both swapped', { unseenIdArgs: 'String', unseenStringArgs: 'ID' }],
	['every unseen argument nullable', { unseenNullability: 'nullable' }],
	['every unseen argument non-null', { unseenNullability: 'nonNull' }],
	[
		'swapped and non-null',
		{ unseenIdArgs: 'String', unseenStringArgs: 'ID', unseenNullability: 'nonNull' },
	],
	[
		'swapped and nullable',
		{ unseenIdArgs: 'String', unseenStringArgs: 'ID', unseenNullability: 'nullable' },
	],
];

/** The catalog with hostile text everywhere, and with plain ids: and the two documents the session sends itself. */
function everyDocument(): Array<{ label: string; document: string }> {
	const entries = [
		...operationCatalog({ channelId: RELAY, agentId: RELAY, departmentId: RELAY, text: HOSTILE }),
		...operationCatalog({
			channelId: HOSTILE,
			agentId: HOSTILE,
			departmentId: HOSTILE,
			text: 'plain',
		}).map((e) => ({ ...e, label: `${e.label} (hostile ids)` })),
	];
	const documents = entries.map((e) => ({ label: e.label, document: e.operation.document }));
	for (const entry of entries) {
		const confirmed =
			entry.operation.kind === 'subscription' ? entry.operation.confirmed : undefined;
		if (confirmed)
			documents.push({
				label: `${entry.label} (confirmed selection)`,
				document: confirmed.document,
			});
	}
	documents.push(
		{ label: 'startAgentSession', document: START_DOCUMENT },
		{ label: 'stopAgentSession', document: STOP_SESSION_DOCUMENT },
	);
	return documents;
}

describe.each(VARIANTS)('against %s', (_name, variant) => {
	const schema = buildConversationsSchema(variant);
	it.each(everyDocument().map((d) => [d.label, d.document]))('%s validates', (_label, document) => {
		expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
	});
});

describe('the catalog covers every operation builder and carries no variables', () => {
	const catalog = operationCatalog({
		channelId: RELAY,
		agentId: RELAY,
		departmentId: RELAY,
		text: HOSTILE,
	});

	it('names every mutation and query the client exports', () => {
		const fields = new Set(catalog.map((e) => parseRoot(e.operation)));
		expect([...fields].sort()).toEqual(
			[
				'addTags',
				'agents',
				'channels',
				'chatActivity',
				'departments',
				'inviteAgent',
				'leaveChannel',
				'listenVisitorChannel',
				'message',
				'sendButtonTemplate',
				'sendListTemplate',
				'sendMessage',
				'sendPanelTemplate',
				'sendPanelTemplateCarousel',
				'sendQuickReplies',
				'setTypingIndicator',
				'transferToDepartment',
				'updateAgentStatus',
			].sort(),
		);
	});

	it('only startAgentSession declares a variable ($access_token: String!, as the schema page shows)', () => {
		for (const entry of catalog) expect(entry.operation.document).not.toContain('$');
		expect(START_DOCUMENT).toContain('($access_token: String!)');
	});

	it('hostile text arrives as exactly the intended argument values (read from the AST)', () => {
		const send = catalog.find((e) => e.label === 'sendMessage (every argument)')
			?.operation as AnyOperation;
		const parsed = parseDocument(send);
		expect(parsed.operations).toBe(1);
		expect(parsed.rootFields).toEqual(['sendMessage']);
		expect(parsed.args).toEqual({
			backoff: true,
			channel_id: RELAY,
			msg: HOSTILE.replace('\ud800', '\ufffd'),
			msg_id: HOSTILE.replace('\ud800', '\ufffd'),
			options: ['Yes', 'No'],
		});
	});
});

function parseRoot(operation: AnyOperation): string {
	return parseDocument(operation).field;
}
