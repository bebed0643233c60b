import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The codex files (`<Node>.node.json`): n8n's node creator searches a node's display name and its
 * codex `alias` (editor-ui `searchNodes`: keys `properties.displayName`, `properties.codex.alias`),
 * and n8n-core's directory loader copies `alias` from the codex into the node's description.
 */
const ROOT = join(__dirname, '..', '..');
const NODES = [
	'ZendeskChat',
	'ZendeskChatTrigger',
	'ZendeskMessaging',
	'ZendeskMessagingTrigger',
] as const;

type Codex = { node: string; categories: string[]; alias?: unknown };

function codex(node: (typeof NODES)[number]): Codex {
	return JSON.parse(readFileSync(join(ROOT, 'nodes', node, `${node}.node.json`), 'utf8')) as Codex;
}

const lower = (node: (typeof NODES)[number]) =>
	((codex(node).alias as string[]) ?? []).map((a) => a.toLowerCase());

describe('codex search aliases', () => {
	it.each(NODES)('%s names itself and lists distinct, non-empty aliases', (node) => {
		const file = codex(node);
		expect(file.node).toBe(`n8n-nodes-zendesk-chat.${node[0].toLowerCase()}${node.slice(1)}`);
		expect(Array.isArray(file.alias)).toBe(true);
		const aliases = file.alias as string[];
		expect(aliases.length).toBeGreaterThan(5);
		for (const alias of aliases) expect(alias.trim()).toBe(alias);
		expect(new Set(lower(node)).size).toBe(aliases.length);
	});

	it("finds the Messaging nodes by their API's old names, and not the Chat ones", () => {
		for (const term of ['sunshine', 'sunshine conversations', 'smooch', 'whatsapp']) {
			expect(lower('ZendeskMessaging')).toContain(term);
			expect(lower('ZendeskMessagingTrigger')).toContain(term);
			expect(lower('ZendeskChat')).not.toContain(term);
			expect(lower('ZendeskChatTrigger')).not.toContain(term);
		}
	});

	it('finds the Chat nodes by Zopim, and every node by live chat, chat, agent and support', () => {
		expect(lower('ZendeskChat')).toContain('zopim');
		expect(lower('ZendeskChatTrigger')).toContain('zopim');
		for (const node of NODES)
			for (const term of ['live chat', 'chat', 'agent', 'support', 'web widget', 'chatbot'])
				expect(lower(node)).toContain(term);
	});

	it('finds the action nodes by handoff and escalate', () => {
		for (const term of ['handoff', 'hand-off', 'escalate']) {
			expect(lower('ZendeskMessaging')).toContain(term);
			expect(lower('ZendeskChat')).toContain(term);
		}
	});
});
