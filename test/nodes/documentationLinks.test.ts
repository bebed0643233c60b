import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import { ZendeskChatApi } from '../../credentials/ZendeskChatApi.credentials';
import { ZendeskChatOAuth2Api } from '../../credentials/ZendeskChatOAuth2Api.credentials';
import { ZendeskMessagingApi } from '../../credentials/ZendeskMessagingApi.credentials';

/**
 * Every documentation link the editor shows (a credential's "Open docs", a node's codex resources)
 * lands on a heading of the README as GitHub renders it.
 */
const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const REPO = 'https://github.com/n8n-nodes-zendesk-chat/n8n-nodes-zendesk-chat';

/** GitHub's heading ids (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		const heading = !fenced && /^#{1,6} (.+)$/.exec(line);
		if (!heading) continue;
		const text = heading[1].replace(/`/g, '').trim();
		const slug = text
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

const anchors = headingAnchors(README);

function anchorOf(url: string): string {
	expect(url.startsWith(`${REPO}#`)).toBe(true);
	return url.slice(REPO.length + 1);
}

describe('documentation links', () => {
	it("computes GitHub's anchors", () => {
		expect(
			headingAnchors(
				"# A b\n## What to know about Zendesk's APIs\n### Zendesk Support (optional: the Escalate pickers)\n# A b\n",
			),
		).toEqual(
			new Set([
				'a-b',
				'what-to-know-about-zendesks-apis',
				'zendesk-support-optional-the-escalate-pickers',
				'a-b-1',
			]),
		);
	});

	it.each<[string, ICredentialType]>([
		['Zendesk Chat Access Token API', new ZendeskChatApi()],
		['Zendesk Chat OAuth2 API', new ZendeskChatOAuth2Api()],
		['Zendesk Messaging API', new ZendeskMessagingApi()],
	])('the %s credential opens its own README section', (heading, credential) => {
		const anchor = anchorOf(String(credential.documentationUrl));
		expect(anchors).toContain(anchor);
		expect(README).toContain(`### ${heading}\n`);
		expect(anchor).toBe(heading.toLowerCase().replace(/ /g, '-'));
	});

	it.each(['ZendeskChat', 'ZendeskChatTrigger', 'ZendeskMessaging', 'ZendeskMessagingTrigger'])(
		'the %s codex links README headings',
		(node) => {
			const codex = JSON.parse(
				readFileSync(join(ROOT, 'nodes', node, `${node}.node.json`), 'utf8'),
			) as {
				resources: Record<string, Array<{ url: string }>>;
			};
			const urls = Object.values(codex.resources)
				.flat()
				.map((r) => r.url);
			expect(urls.length).toBeGreaterThan(0);
			for (const url of urls) expect(anchors).toContain(anchorOf(url));
		},
	);
});
