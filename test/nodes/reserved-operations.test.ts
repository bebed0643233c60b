import { SEND_AND_WAIT_OPERATION, type INodeProperties } from 'n8n-workflow';

import { ZendeskChat } from '../../nodes/ZendeskChat/ZendeskChat.node';
import { ZendeskMessaging } from '../../nodes/ZendeskMessaging/ZendeskMessaging.node';

/**
 * n8n gives the operation value `sendAndWait` (SEND_AND_WAIT_OPERATION) a meaning of its own: a node
 * offering it gets a generated human-in-the-loop tool and its executions are resumed through
 * n8n's waiting webhooks (n8n 2.x tool-generation/hitl-tools, webhooks/waiting-webhooks). Our Send
 * and Wait for Reply waits inside the execution instead, so it must not use that value.
 */
describe('operation values n8n reserves', () => {
	it.each([
		['Zendesk Chat', new ZendeskChat().description.properties],
		['Zendesk Messaging', new ZendeskMessaging().description.properties],
	])(
		'%s offers no operation with the reserved value sendAndWait',
		(_name, properties: INodeProperties[]) => {
			const values = properties
				.filter((p) => p.name === 'operation')
				.flatMap((p) => (p.options ?? []).map((o) => ('value' in o ? o.value : undefined)));
			expect(values).toContain('sendAndWaitForReply');
			expect(values).not.toContain(SEND_AND_WAIT_OPERATION);
		},
	);
});
