import type { INodeProperties } from 'n8n-workflow';

import { ZendeskChat } from '../../nodes/ZendeskChat/ZendeskChat.node';
import { ZendeskChatTrigger } from '../../nodes/ZendeskChatTrigger/ZendeskChatTrigger.node';

/** The editor says where Zendesk's one-session-per-agent limit bites, before the user runs into it. */
describe('the one-session notices', () => {
	it("open the Zendesk Chat Trigger for the events that hold the agent's session", () => {
		const [first] = new ZendeskChatTrigger().description.properties;
		expect(first).toMatchObject({ type: 'notice', name: 'sessionNotice' });
		expect(first.displayOptions).toEqual({ show: { event: ['chatMessage', 'chatActivity'] } });
		expect(first.displayName).toMatch(/agent seat/);
		expect(first.displayName).toMatch(/EOS/);
		expect(first.displayName).toMatch(/dedicated bot agent/);
	});

	it("show on the Zendesk Chat node's Message and Live Chat operations, not on the REST ones", () => {
		const notices = new ZendeskChat().description.properties.filter(
			(p: INodeProperties) => p.type === 'notice',
		);
		const session = notices.find((p) => p.name === 'sessionNotice');
		expect(session?.displayOptions).toEqual({ show: { resource: ['message', 'liveChat'] } });
		expect(session?.displayName).toMatch(/Zendesk Chat Trigger/);
		expect(session?.displayName).toMatch(/dedicated bot agent/);
	});
});
