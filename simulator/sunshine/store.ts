import { SIM_SUNSHINE } from '../defaults';
import { conversationNotFound, userNotFound } from './errors';
import type {
	ActivityRecord,
	ApiKeyRecord,
	ConversationRecord,
	IntegrationRecord,
	SwitchboardIntegrationRecord,
	SwitchboardRecord,
	TicketRecord,
	UserRecord,
	WebhookRecord,
} from './types';

/**
 * Fixed ids of what the default app starts with, so the demo, the README and tests can name them.
 * 24 hex digits like every Sunshine id.
 */
export const SUNSHINE_SEED = {
	/** The Web Widget (SDK) integration messaging users write from. */
	webIntegrationId: '5f0a1b2c3d4e5f6a7b8c9d10',
	/** The bot's own custom integration; it has no webhook until one is created for it. */
	botIntegrationId: '5f0a1b2c3d4e5f6a7b8c9d11',
	/** Zendesk's agent workspace. */
	agentWorkspaceIntegrationId: '5f0a1b2c3d4e5f6a7b8c9d12',
	switchboardId: '5f0a1b2c3d4e5f6a7b8c9d20',
	botSwitchboardIntegrationId: '5f0a1b2c3d4e5f6a7b8c9d21',
	agentWorkspaceSwitchboardIntegrationId: '5f0a1b2c3d4e5f6a7b8c9d22',
} as const;

/** Sunshine Conversations state of the one simulated app; kept apart from the Chat world. */
export class SunshineStore {
	readonly appId: string = SIM_SUNSHINE.appId;
	readonly keys = new Map<string, ApiKeyRecord>();
	/** Maps keep insertion order, which is the order lists and cursors follow. */
	readonly users = new Map<string, UserRecord>();
	readonly conversations = new Map<string, ConversationRecord>();
	readonly integrations = new Map<string, IntegrationRecord>();
	readonly webhooks = new Map<string, WebhookRecord>();
	/** The app's one switchboard; null once deleted (openapi.yaml DeleteSwitchboard) until one is created again. */
	switchboard: SwitchboardRecord | null;
	readonly switchboardIntegrations = new Map<string, SwitchboardIntegrationRecord>();
	readonly tickets: TicketRecord[] = [];
	readonly activities: ActivityRecord[] = [];

	constructor() {
		this.keys.set(SIM_SUNSHINE.keyId, {
			id: SIM_SUNSHINE.keyId,
			secret: SIM_SUNSHINE.keySecret,
			displayName: 'Simulator app key',
			scope: 'app',
		});
		const seed = SUNSHINE_SEED;
		this.addIntegration({
			id: seed.webIntegrationId,
			type: 'web',
			status: 'active',
			displayName: 'Web Widget',
			builtIn: true,
		});
		this.addIntegration({
			id: seed.botIntegrationId,
			type: 'custom',
			status: 'active',
			displayName: SIM_SUNSHINE.botIntegrationName,
			builtIn: false,
		});
		this.addIntegration({
			id: seed.agentWorkspaceIntegrationId,
			type: 'zd:agentWorkspace',
			status: 'active',
			displayName: 'Zendesk Agent Workspace',
			builtIn: true,
		});
		// The bot gets new conversations and hands them on to the agent workspace ("next"); the agent
		// workspace hands them back. deliverStandbyEvents: the bot keeps true, the create default
		// (openapi.yaml switchboardIntegrationCreateBody), the agent workspace false as in the spec's
		// listSwitchboardIntegrations example.
		this.switchboardIntegrations.set(seed.botSwitchboardIntegrationId, {
			id: seed.botSwitchboardIntegrationId,
			name: SIM_SUNSHINE.botIntegrationName,
			integrationId: seed.botIntegrationId,
			integrationType: 'custom',
			deliverStandbyEvents: true,
			nextSwitchboardIntegrationId: seed.agentWorkspaceSwitchboardIntegrationId,
			messageHistoryCount: null,
		});
		this.switchboardIntegrations.set(seed.agentWorkspaceSwitchboardIntegrationId, {
			id: seed.agentWorkspaceSwitchboardIntegrationId,
			name: SIM_SUNSHINE.agentWorkspaceName,
			integrationId: seed.agentWorkspaceIntegrationId,
			integrationType: 'zd:agentWorkspace',
			deliverStandbyEvents: false,
			nextSwitchboardIntegrationId: seed.botSwitchboardIntegrationId,
			messageHistoryCount: null,
		});
		this.switchboard = {
			id: seed.switchboardId,
			enabled: true,
			defaultSwitchboardIntegrationId: seed.botSwitchboardIntegrationId,
		};
	}

	addIntegration(record: IntegrationRecord): void {
		this.integrations.set(record.id, record);
	}

	findUser(idOrExternalId: string): UserRecord | undefined {
		return (
			this.users.get(idOrExternalId) ??
			[...this.users.values()].find((u) => u.externalId === idOrExternalId)
		);
	}

	requireUser(idOrExternalId: string): UserRecord {
		const user = this.findUser(idOrExternalId);
		if (!user) throw userNotFound();
		return user;
	}

	userByExternalId(externalId: string): UserRecord | undefined {
		return [...this.users.values()].find((u) => u.externalId === externalId);
	}

	requireConversation(id: string): ConversationRecord {
		const conversation = this.conversations.get(id);
		if (!conversation) throw conversationNotFound();
		return conversation;
	}

	conversationsOf(userId: string): ConversationRecord[] {
		return [...this.conversations.values()].filter((c) =>
			c.participants.some((p) => p.userId === userId),
		);
	}

	webhooksOf(integrationId: string): WebhookRecord[] {
		return [...this.webhooks.values()].filter((w) => w.integrationId === integrationId);
	}

	/** The switchboard integration linked to an integration (by id, or by type for OAuth/Zendesk ones). */
	switchboardIntegrationOf(integrationId: string): SwitchboardIntegrationRecord | undefined {
		return [...this.switchboardIntegrations.values()].find(
			(s) => s.integrationId === integrationId,
		);
	}

	get agentWorkspace(): SwitchboardIntegrationRecord | undefined {
		return [...this.switchboardIntegrations.values()].find(
			(s) => s.integrationType === 'zd:agentWorkspace',
		);
	}
}
